import Foundation
import GRDB

extension SQLiteStore {
    /// Schema migrations; ids never change once shipped.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-schema") { db in
            try db.execute(sql: """
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                INSERT INTO meta (key, value) VALUES ('databaseId', lower(hex(randomblob(16))));

                CREATE TABLE users (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    role TEXT NOT NULL CHECK (role IN ('admin', 'doctor', 'patient')),
                    password_hash TEXT NOT NULL,
                    specialty TEXT,
                    blacklisted INTEGER NOT NULL DEFAULT 0,
                    -- access tokens issued at or before this second are refused (blacklisting)
                    tokens_revoked_at INTEGER,
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX users_role ON users (role, name);

                CREATE TABLE token_families (
                    id TEXT PRIMARY KEY,
                    user_id TEXT NOT NULL REFERENCES users (id),
                    revoked_at INTEGER,
                    created_at INTEGER NOT NULL
                );

                CREATE TABLE refresh_tokens (
                    hash TEXT PRIMARY KEY,
                    family_id TEXT NOT NULL REFERENCES token_families (id),
                    expires_at INTEGER NOT NULL,
                    rotated_at INTEGER,
                    created_at INTEGER NOT NULL
                );

                CREATE TABLE availability (
                    id TEXT PRIMARY KEY,
                    doctor_id TEXT NOT NULL REFERENCES users (id),
                    start INTEGER NOT NULL,
                    "end" INTEGER NOT NULL,
                    slot_minutes INTEGER NOT NULL,
                    CHECK ("end" > start)
                );
                CREATE INDEX availability_doctor_start ON availability (doctor_id, start);

                CREATE TABLE appointments (
                    id TEXT PRIMARY KEY,
                    patient_id TEXT NOT NULL REFERENCES users (id),
                    doctor_id TEXT NOT NULL REFERENCES users (id),
                    start INTEGER NOT NULL,
                    "end" INTEGER NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('BOOKED', 'COMPLETED', 'CANCELLED', 'NO_SHOW')),
                    reason TEXT,
                    diagnosis TEXT,
                    treatment TEXT,
                    cancel_reason TEXT,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    CHECK ("end" > start)
                );
                CREATE INDEX appointments_doctor_start ON appointments (doctor_id, start);
                CREATE INDEX appointments_patient_start ON appointments (patient_id, start);
                CREATE INDEX appointments_start ON appointments (start, id);
                CREATE INDEX appointments_status_end ON appointments (status, "end");
                -- second guard behind the serialized check: one active appointment per doctor and start
                CREATE UNIQUE INDEX appointments_active_doctor_start
                    ON appointments (doctor_id, start) WHERE status IN ('BOOKED', 'COMPLETED');

                -- the overlap rules at the database: no insert or reactivation may overlap an active appointment
                CREATE TRIGGER appointments_no_doctor_overlap
                BEFORE INSERT ON appointments
                WHEN NEW.status IN ('BOOKED', 'COMPLETED') AND EXISTS (
                    SELECT 1 FROM appointments a
                    WHERE a.doctor_id = NEW.doctor_id AND a.status IN ('BOOKED', 'COMPLETED')
                      AND a.start < NEW."end" AND NEW.start < a."end")
                BEGIN SELECT RAISE(ABORT, 'SLOT_TAKEN'); END;

                CREATE TRIGGER appointments_no_patient_overlap
                BEFORE INSERT ON appointments
                WHEN NEW.status IN ('BOOKED', 'COMPLETED') AND EXISTS (
                    SELECT 1 FROM appointments a
                    WHERE a.patient_id = NEW.patient_id AND a.status IN ('BOOKED', 'COMPLETED')
                      AND a.start < NEW."end" AND NEW.start < a."end")
                BEGIN SELECT RAISE(ABORT, 'PATIENT_BUSY'); END;

                -- final states stay final, whatever code path writes
                CREATE TRIGGER appointments_final_states
                BEFORE UPDATE OF status ON appointments
                WHEN OLD.status <> 'BOOKED' AND NEW.status <> OLD.status
                BEGIN SELECT RAISE(ABORT, 'INVALID_TRANSITION'); END;

                -- the change order for sync pulls: one row per changed thing, its seq moved to the
                -- end on every change; SQLite commits writers one at a time, so seq order is commit order
                CREATE TABLE changes (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    entity TEXT NOT NULL,
                    entity_id TEXT NOT NULL,
                    doctor_id TEXT,
                    patient_id TEXT,
                    deleted INTEGER NOT NULL DEFAULT 0,
                    UNIQUE (entity, entity_id)
                );
                """)
        }
        migrator.registerMigration("v2-sync") { db in
            try db.execute(sql: """
                -- a client device, bound to the user who first named it
                CREATE TABLE sync_clients (
                    id TEXT PRIMARY KEY,
                    user_id TEXT NOT NULL REFERENCES users (id),
                    last_mutation_id INTEGER NOT NULL DEFAULT 0,
                    created_at INTEGER NOT NULL
                );
                -- each handled mutation's digest and result, so a retry answers the same
                CREATE TABLE sync_mutations (
                    client_id TEXT NOT NULL REFERENCES sync_clients (id),
                    mutation_id INTEGER NOT NULL,
                    digest TEXT NOT NULL,
                    status TEXT NOT NULL,
                    code TEXT,
                    message TEXT,
                    client_time INTEGER,
                    handled_at INTEGER NOT NULL,
                    PRIMARY KEY (client_id, mutation_id)
                ) WITHOUT ROWID;
                CREATE INDEX changes_patient ON changes (patient_id, seq);
                CREATE INDEX changes_doctor ON changes (doctor_id, seq);
                """)
        }
        migrator.registerMigration("v3-operations") { db in
            try db.execute(sql: """
                -- one penalty per no-show, whatever reruns or crashes
                CREATE TABLE penalties (
                    id TEXT PRIMARY KEY,
                    patient_id TEXT NOT NULL REFERENCES users (id),
                    appointment_id TEXT NOT NULL UNIQUE REFERENCES appointments (id),
                    doctor_id TEXT NOT NULL REFERENCES users (id),
                    reason TEXT NOT NULL,
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX penalties_patient ON penalties (patient_id, created_at);
                CREATE INDEX penalties_created ON penalties (created_at, id);

                -- the durable mail outbox: one escalation per penalty; sent_at is set only after
                -- the SMTP server accepted the message
                CREATE TABLE email_outbox (
                    id TEXT PRIMARY KEY,
                    penalty_id TEXT NOT NULL UNIQUE REFERENCES penalties (id),
                    recipient TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    body TEXT NOT NULL,
                    message_id TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at INTEGER NOT NULL,
                    last_error TEXT,
                    sent_at INTEGER,
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX email_outbox_due ON email_outbox (sent_at, next_attempt_at);

                -- append-only: who did which write, who read which patient's records, every refusal
                CREATE TABLE audit_log (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    id TEXT NOT NULL UNIQUE,
                    at INTEGER NOT NULL,
                    actor_id TEXT,
                    actor_role TEXT,
                    action TEXT NOT NULL,
                    entity TEXT NOT NULL,
                    entity_id TEXT,
                    patient_id TEXT,
                    outcome TEXT NOT NULL,
                    request_id TEXT NOT NULL,
                    client_ip TEXT NOT NULL
                );
                CREATE INDEX audit_at ON audit_log (at, seq);
                CREATE INDEX audit_actor ON audit_log (actor_id, seq);
                CREATE INDEX audit_patient ON audit_log (patient_id, seq);
                CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                """)
        }
        migrator.registerMigration("v4-bounded-overlap-triggers") { db in
            // The same rules, with a lower bound the others imply (no slot is longer than 240
            // minutes, so nothing that overlaps starts more than that before): the index on
            // (doctor_id | patient_id, start) then stops early instead of visiting all history.
            try db.execute(sql: """
                DROP TRIGGER appointments_no_doctor_overlap;
                DROP TRIGGER appointments_no_patient_overlap;

                CREATE TRIGGER appointments_no_doctor_overlap
                BEFORE INSERT ON appointments
                WHEN NEW.status IN ('BOOKED', 'COMPLETED') AND EXISTS (
                    SELECT 1 FROM appointments a
                    WHERE a.doctor_id = NEW.doctor_id AND a.status IN ('BOOKED', 'COMPLETED')
                      AND a.start < NEW."end" AND NEW.start < a."end" AND a.start > NEW.start - 14400)
                BEGIN SELECT RAISE(ABORT, 'SLOT_TAKEN'); END;

                CREATE TRIGGER appointments_no_patient_overlap
                BEFORE INSERT ON appointments
                WHEN NEW.status IN ('BOOKED', 'COMPLETED') AND EXISTS (
                    SELECT 1 FROM appointments a
                    WHERE a.patient_id = NEW.patient_id AND a.status IN ('BOOKED', 'COMPLETED')
                      AND a.start < NEW."end" AND NEW.start < a."end" AND a.start > NEW.start - 14400)
                BEGIN SELECT RAISE(ABORT, 'PATIENT_BUSY'); END;
                """)
        }
        migrator.registerMigration("v5-email-key") { db in
            try Self.migrateEmailKeys(db)
        }
        migrator.registerMigration("v6-accounts") { db in
            try db.execute(sql: """
                -- set while an admin has the account disabled (its token families are revoked then)
                ALTER TABLE users ADD COLUMN disabled_at INTEGER;
                -- set when a replay inside the grace window replaced this unspent token, so a
                -- family never holds two live refresh tokens
                ALTER TABLE refresh_tokens ADD COLUMN revoked_at INTEGER;
                CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
                CREATE INDEX token_families_user ON token_families (user_id);
                """)
        }
        migrator.registerMigration("v7-busy-privacy") { db in
            try SQLiteStore.migrateBusyPrivacy(db, now: Date())
        }
        migrator.registerMigration("v8-push-result-details") { db in
            // a refused mutation's details (alternatives), so a retry answers them too
            try db.execute(sql: "ALTER TABLE sync_mutations ADD COLUMN details TEXT")
        }
        migrator.registerMigration("v9-reminder-outbox") { db in
            try SQLiteStore.migrateReminderOutbox(db)
        }
        migrator.registerMigration("v10-scope-checksums") { db in
            try SQLiteStore.migrateScopeChecksums(db)
        }
        return migrator
    }
}
