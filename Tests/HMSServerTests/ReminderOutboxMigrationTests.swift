import Foundation
import GRDB
import HMSSyncCore
import HMSTestSupport
import Testing
@testable import HMSServer

/// Migration `v9-reminder-outbox` on a database made before it: SQLite rebuilds `email_outbox`,
/// keeping every message, so that a row may be about an appointment (a reminder) instead of a
/// penalty. SQLite-only: PostgreSQL alters its table in place (`v3-reminder-outbox`).
@Suite("Migration v9-reminder-outbox")
struct ReminderOutboxMigrationTests {
    @Test("escalation mail queued and sent before it is kept; afterwards each row is about one penalty or one appointment")
    func keepsTheOutbox() async throws {
        let folder = try TempFolder("migration")
        let path = (folder.path as NSString).appendingPathComponent("old.sqlite")
        try await {
            let queue = try DatabaseQueue(path: path)
            try SQLiteStore.migrator.migrate(queue, upTo: "v7-busy-privacy")
            try await queue.write { db in
                try db.execute(sql: """
                    INSERT INTO users (id, name, email, email_key, role, password_hash, created_at) VALUES
                        ('d', 'Dr D', 'd@example.com', 'd@example.com', 'doctor', 'x', 0),
                        ('p', 'Pat', 'p@example.com', 'p@example.com', 'patient', 'x', 0);
                    INSERT INTO appointments (id, patient_id, doctor_id, start, "end", status, created_at, updated_at) VALUES
                        ('a1', 'p', 'd', 0, 1800, 'NO_SHOW', 0, 0), ('a2', 'p', 'd', 3600, 5400, 'BOOKED', 0, 0);
                    INSERT INTO penalties (id, patient_id, appointment_id, doctor_id, reason, created_at) VALUES
                        ('pen1', 'p', 'a1', 'd', 'NO_SHOW', 10);
                    INSERT INTO email_outbox (id, penalty_id, recipient, subject, body, message_id, attempts,
                                              next_attempt_at, last_error, sent_at, created_at) VALUES
                        ('m1', 'pen1', 'p@example.com', 'Missed', 'Dear Pat', '<penalty-pen1@x>', 2, 20, 'refused', 30, 10);
                    """)
            }
        }()

        let store = try SQLiteStore(path: path)
        try await store.pool.write { db in
            let kept = try #require(try Row.fetchOne(db, sql: "SELECT * FROM email_outbox WHERE id = 'm1'"))
            let texts: [String?] = [kept["penalty_id"], kept["message_id"], kept["last_error"], kept["reminder_appointment_id"]]
            #expect(texts == ["pen1", "<penalty-pen1@x>", "refused", nil])
            let numbers: [Int64?] = [kept["attempts"], kept["sent_at"], kept["next_attempt_at"]]
            #expect(numbers == [2, 30, 20])
            let reminder = NewReminder(
                id: "m2", appointmentId: "a2", recipient: "p@example.com", subject: "Reminder", body: "Dear Pat",
                messageId: "<reminder-a2@x>", now: Date(epochSeconds: 40))
            #expect(try SQLiteTransaction(db: db).queueReminder(reminder))
            #expect(try !SQLiteTransaction(db: db).queueReminder(reminder), "one reminder per appointment")
            // a row about nothing, or about both, is refused by the schema
            for (penalty, appointment) in [(nil, nil), ("pen1", "a2")] as [(String?, String?)] {
                #expect(throws: DatabaseError.self) {
                    try db.execute(
                        sql: """
                            INSERT INTO email_outbox (id, penalty_id, reminder_appointment_id, recipient, subject, body,
                                                      message_id, next_attempt_at, created_at)
                            VALUES (?, ?, ?, 'x', 'x', 'x', 'x', 0, 0)
                            """,
                        arguments: [UUID().uuidString, penalty, appointment])
                }
            }
        }
    }
}
