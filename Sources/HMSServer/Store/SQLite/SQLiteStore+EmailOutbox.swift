import Foundation
import GRDB
import HMSSyncCore

extension SQLiteStore {
    func claimDueEmails(now: Date, limit: Int, lease: TimeInterval) async throws -> [QueuedEmail] {
        try await pool.write { db in
            try Self.dropStaleReminders(db)
            let due = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM email_outbox WHERE sent_at IS NULL AND next_attempt_at <= ?
                    ORDER BY next_attempt_at, created_at LIMIT ?
                    """,
                arguments: [now.epochSeconds, limit]
            ).map {
                QueuedEmail(id: $0["id"], recipient: $0["recipient"], subject: $0["subject"], body: $0["body"],
                            messageId: $0["message_id"], attempts: $0["attempts"])
            }
            for email in due {
                try db.execute(
                    sql: "UPDATE email_outbox SET next_attempt_at = ? WHERE id = ?",
                    arguments: [now.addingTimeInterval(lease).epochSeconds, email.id])
            }
            return due
        }
    }

    /// Deletes unsent reminders whose appointment has left `BOOKED` (CONTRACT.md §9.4). A final
    /// state never returns to `BOOKED`, so no sweep queues them again. Driven by the few unsent
    /// rows (`email_outbox_due`), each looked up by its appointment's key, never by history.
    static func dropStaleReminders(_ db: Database) throws {
        try db.execute(
            sql: """
                DELETE FROM email_outbox
                WHERE sent_at IS NULL AND reminder_appointment_id IS NOT NULL AND EXISTS (
                    SELECT 1 FROM appointments a WHERE a.id = email_outbox.reminder_appointment_id AND a.status <> ?)
                """,
            arguments: [AppointmentStatus.booked.rawValue])
    }

    /// Stored only after the SMTP server accepted the message.
    func markEmailSent(id: String, now: Date) async throws {
        try await write { db in
            try db.execute(
                sql: "UPDATE email_outbox SET sent_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?",
                arguments: [now.epochSeconds, id])
        }
    }

    func markEmailFailed(id: String, error: String, retryAt: Date) async throws {
        try await write { db in
            try db.execute(
                sql: "UPDATE email_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?",
                arguments: [String(error.prefix(500)), retryAt.epochSeconds, id])
        }
    }

    func queuedEmailCount() async throws -> Int {
        try await pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM email_outbox WHERE sent_at IS NULL") ?? 0
        }
    }
}
