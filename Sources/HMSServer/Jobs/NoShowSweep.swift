import Foundation

/// The sweep itself, shared by the service and `POST /v1/admin/jobs/no-show`: overdue bookings
/// become no-shows, then the reminders now due are queued (CONTRACT.md §5, §9.4).
struct NoShowSweep: Sendable {
    let store: any ServerStore
    let clock: AppClock
    let grace: TimeInterval
    let mail: EscalationMail
    /// Seconds before a start from which its reminder is due; 0 turns reminders off.
    let reminderLead: TimeInterval
    let reminderMail: ReminderMail
    let telemetry: Telemetry

    func run() async throws -> NoShowSweepResult {
        let now = clock.now()
        var result = try await store.sweepNoShows(now: now, grace: grace, mail: mail)
        if reminderLead > 0 {
            result.remindersQueued = try await store.queueReminders(now: now, lead: reminderLead, mail: reminderMail)
        }
        telemetry.count("hms_reminders_queued_total", by: result.remindersQueued)
        telemetry.count("hms_noshow_sweeps_total")
        telemetry.count("hms_noshow_marked_total", by: result.markedNoShow)
        telemetry.count("hms_penalties_created_total", by: result.penaltiesCreated)
        telemetry.count("hms_mail_queued_total", by: result.emailsQueued)
        return result
    }
}
