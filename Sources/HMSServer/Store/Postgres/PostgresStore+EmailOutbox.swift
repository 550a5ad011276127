import Foundation
import PostgresNIO

extension PostgresStore {
    /// Claims due emails `FOR UPDATE SKIP LOCKED` and moves their next attempt past the lease in
    /// the same transaction: a dispatcher on another server passes the rows by while this one
    /// holds them and finds them not due once it commits, so no message is held twice at once.
    func claimDueEmails(now: Date, limit: Int, lease: TimeInterval) async throws -> [QueuedEmail] {
        try await transaction { tx in
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
