extension PostgresSchema {
    /// The statements of migration `v3-reminder-outbox` (SQLite's `v9-reminder-outbox`): the mail
    /// outbox also holds reminders (CONTRACT.md §9.4), each message about exactly one thing, a
    /// penalty (escalation) or an appointment (reminder), and unique per thing.
    static let reminderOutbox: [String] = [
        "ALTER TABLE email_outbox ALTER COLUMN penalty_id DROP NOT NULL",
        "ALTER TABLE email_outbox ADD COLUMN reminder_appointment_id TEXT UNIQUE REFERENCES appointments (id)",
        """
        ALTER TABLE email_outbox ADD CONSTRAINT email_outbox_one_subject
            CHECK ((penalty_id IS NULL) <> (reminder_appointment_id IS NULL))
        """,
    ]
}
