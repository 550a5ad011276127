import Foundation
import HMSSyncCore
import PostgresNIO

extension PostgresStore {
    /// Claims due emails `FOR UPDATE SKIP LOCKED` and moves their next attempt past the lease in
    /// the same transaction: a dispatcher on another server passes the rows by while this one
    /// holds them and finds them not due once it commits, so no message is held twice at once.
    /// Unsent reminders whose appointment has left `BOOKED` are dropped first.
    func claimDueEmails(now: Date, limit: Int, lease: TimeInterval) async throws -> [QueuedEmail] {
        try await transaction { tx in
            try tx.dropStaleReminders()
            let due = try tx.query(
                """
                SELECT id, recipient, subject, body, message_id, attempts FROM email_outbox
                WHERE sent_at IS NULL AND next_attempt_at <= \(now.epochSeconds)
                ORDER BY next_attempt_at, created_at LIMIT \(limit)
                FOR UPDATE SKIP LOCKED
                """
            ).map { row in
                let (id, recipient, subject, body, messageId, attempts) = try row.decode(
                    (String, String, String, String, String, Int).self)
                return QueuedEmail(
                    id: id, recipient: recipient, subject: subject, body: body, messageId: messageId, attempts: attempts)
            }
            if !due.isEmpty {
                try tx.execute(
                    """
                    UPDATE email_outbox SET next_attempt_at = \(now.addingTimeInterval(lease).epochSeconds)
                    WHERE id = ANY(\(due.map(\.id)))
                    """)
            }
            return due
        }
    }

    /// Stored only after the SMTP server accepted the message.
    func markEmailSent(id: String, now: Date) async throws {
        try await write { tx in
            _ = try tx.execute(
                "UPDATE email_outbox SET sent_at = \(now.epochSeconds), attempts = attempts + 1, last_error = NULL WHERE id = \(id)")
        }
    }

    func markEmailFailed(id: String, error: String, retryAt: Date) async throws {
        try await write { tx in
            _ = try tx.execute(
                """
                UPDATE email_outbox SET attempts = attempts + 1, last_error = \(String(error.prefix(500))),
                    next_attempt_at = \(retryAt.epochSeconds)
                WHERE id = \(id)
                """)
        }
    }

    func queuedEmailCount() async throws -> Int {
        try await read { tx in
            try tx.query("SELECT count(*) FROM email_outbox WHERE sent_at IS NULL").first?.decode(Int.self) ?? 0
        }
    }
}

extension PostgresTransaction {
    /// Deletes unsent reminders whose appointment has left `BOOKED` (CONTRACT.md §9.4); a final
    /// state never returns to `BOOKED`, so no sweep queues them again. Rows another dispatcher's
    /// claim holds are passed by (`SKIP LOCKED`), so two dispatchers never wait on each other;
    /// the later pass drops what this one passed.
    func dropStaleReminders() throws {
        try execute(
            """
            DELETE FROM email_outbox WHERE id IN (
                SELECT e.id FROM email_outbox e JOIN appointments a ON a.id = e.reminder_appointment_id
                WHERE e.sent_at IS NULL AND a.status <> \(AppointmentStatus.booked.rawValue)
                FOR UPDATE OF e SKIP LOCKED)
            """)
    }
}
