import Foundation
import GRDB
import HMSSyncCore

extension SQLiteStore {
    /// Migration `v7-busy-privacy` (CONTRACT.md §9.1): the busy-row key, the `busy` table, and
    /// busy rows under derived ids for every appointment still holding its slot at `now`. Busy
    /// changes under appointment ids are dropped, and the database id is made anew, so every
    /// client's next pull answers `reset` and no replica keeps a busy row under an appointment id.
    /// Never change this function once shipped.
    static func migrateBusyPrivacy(_ db: Database, now: Date) throws {
        try db.execute(sql: """
            INSERT INTO meta (key, value) VALUES ('busyKey', lower(hex(randomblob(32))));

            -- one row per booking: its busy id, and whether its delete was recorded (cancel or
            -- slot end), so the expiry job records each delete once, across restarts and servers
            CREATE TABLE busy (
                id TEXT PRIMARY KEY,
                appointment_id TEXT NOT NULL UNIQUE REFERENCES appointments (id),
                "end" INTEGER NOT NULL,
                ended INTEGER NOT NULL DEFAULT 0
            ) WITHOUT ROWID;
            CREATE INDEX busy_open_end ON busy ("end") WHERE ended = 0;

            DELETE FROM changes WHERE entity = 'busy';
            UPDATE meta SET value = lower(hex(randomblob(16))) WHERE key = 'databaseId';
            """)
        let holding = try Row.fetchAll(
            db,
            sql: """
                SELECT id, doctor_id, patient_id, "end" FROM appointments
                WHERE status IN \(AppointmentStatus.activeSQLList) AND "end" > ? ORDER BY start, id
                """,
            arguments: [now.epochSeconds])
        // the change rows as this migration's schema has them: their hashes come with v10
        let tx = SQLiteTransaction(db: db)
        let key = try tx.busyKey()
        for row in holding {
            let id = BusyId.derive(appointmentId: row["id"], key: key)
            try tx.insertBusy(id: id, appointmentId: row["id"], end: Date(epochSeconds: row["end"]))
            try db.execute(
                sql: "INSERT INTO changes (entity, entity_id, doctor_id, patient_id, deleted) VALUES ('busy', ?, ?, ?, 0)",
                arguments: [id, row["doctor_id"], row["patient_id"]])
        }
    }
}
