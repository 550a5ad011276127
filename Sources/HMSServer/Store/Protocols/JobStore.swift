import Foundation
import HMSSyncCore

/// The background jobs' rows: no-show sweep, busy-row expiry, mail outbox; and what they leave
/// (penalties, metrics). Every job is safe when each of several servers runs it.
protocol JobStore: Sendable {
    func sweepNoShows(now: Date, grace: TimeInterval, mail: EscalationMail, batch: Int) async throws -> NoShowSweepResult
    /// Queues one reminder per `BOOKED` appointment with `now < start ≤ now + lead` that has none
    /// yet (CONTRACT.md §9.4); answers how many this call queued.
    func queueReminders(now: Date, lead: TimeInterval, mail: ReminderMail, batch: Int) async throws -> Int
    /// Records the busy deletes of ended slots; answers how many this call recorded.
    func expireBusy(now: Date, batch: Int) async throws -> Int
    /// Claims up to `limit` due emails for `lease` seconds (their next attempt moves past the
    /// lease), so another server's dispatcher does not send them meanwhile. Unsent reminders
    /// whose appointment has left `BOOKED` are dropped first, so they are never sent.
    func claimDueEmails(now: Date, limit: Int, lease: TimeInterval) async throws -> [QueuedEmail]
    /// Stored only after the SMTP server accepted the message.
    func markEmailSent(id: String, now: Date) async throws
    func markEmailFailed(id: String, error: String, retryAt: Date) async throws
    func queuedEmailCount() async throws -> Int
    func penalties(patientId: String?, after cursor: ListCursor?, limit: Int) async throws -> [Penalty]
    func noShowMetrics() async throws -> NoShowMetrics
}

extension JobStore {
    func sweepNoShows(now: Date, grace: TimeInterval, mail: EscalationMail) async throws -> NoShowSweepResult {
        try await sweepNoShows(now: now, grace: grace, mail: mail, batch: 200)
    }

    func queueReminders(now: Date, lead: TimeInterval, mail: ReminderMail) async throws -> Int {
        try await queueReminders(now: now, lead: lead, mail: mail, batch: 200)
    }

    @discardableResult
    func expireBusy(now: Date) async throws -> Int { try await expireBusy(now: now, batch: 500) }
}
