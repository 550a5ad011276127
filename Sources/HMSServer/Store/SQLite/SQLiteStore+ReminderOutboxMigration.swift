import GRDB

extension SQLiteStore {
    /// Migration `v9-reminder-outbox`: the mail outbox also holds reminders (CONTRACT.md §9.4).
    /// Each message is about exactly one thing: a penalty (escalation, one per penalty) or an
    /// appointment (reminder, one per appointment). SQLite can't drop `NOT NULL` from
    /// `penalty_id`, so the table is rebuilt with its rows.
    static func migrateReminderOutbox(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE email_outbox_v9 (
                id TEXT PRIMARY KEY,
                penalty_id TEXT UNIQUE REFERENCES penalties (id),
                reminder_appointment_id TEXT UNIQUE REFERENCES appointments (id),
                recipient TEXT NOT NULL,
                subject TEXT NOT NULL,
                body TEXT NOT NULL,
                message_id TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at INTEGER NOT NULL,
                last_error TEXT,
                sent_at INTEGER,
                created_at INTEGER NOT NULL,
                CHECK ((penalty_id IS NULL) <> (reminder_appointment_id IS NULL))
            );
            INSERT INTO email_outbox_v9
                (id, penalty_id, recipient, subject, body, message_id, attempts, next_attempt_at, last_error, sent_at,
                 created_at)
            SELECT id, penalty_id, recipient, subject, body, message_id, attempts, next_attempt_at, last_error, sent_at,
                   created_at
            FROM email_outbox;
            DROP TABLE email_outbox;
            ALTER TABLE email_outbox_v9 RENAME TO email_outbox;
            CREATE INDEX email_outbox_due ON email_outbox (sent_at, next_attempt_at);
            """)
    }
}
