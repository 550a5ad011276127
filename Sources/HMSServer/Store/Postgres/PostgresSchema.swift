import HMSSyncCore

/// The PostgreSQL schema: the final SQLite schema (migrations v1 to v7 of `Store.migrator`)
/// made at once, with the rules the SQLite triggers keep enforced by PostgreSQL itself.
///
/// Times are BIGINT epoch seconds and ids TEXT, as in SQLite; SQLite's 0/1 flags are BOOLEAN.
enum PostgresSchema {
    /// The exclusion constraint that refuses overlapping active appointments of one doctor
    /// (`SLOT_TAKEN`).
    static let doctorOverlapConstraint = "appointments_no_doctor_overlap"
    /// The same for one patient (`PATIENT_BUSY`).
    static let patientOverlapConstraint = "appointments_no_patient_overlap"

    /// `'A', 'B'` for a list of enum raw values. These are fixed Swift enum values, never user
    /// text, which is why interpolating them into DDL is safe (DDL takes no bind parameters).
    private static func sqlList(_ values: [String]) -> String {
        values.map { "'\($0)'" }.joined(separator: ", ")
    }

    /// The statements of migration `v1-schema`, one each (the extended protocol runs one
    /// statement per query).
    static var v1: [String] {
        let allStatuses = sqlList(AppointmentStatus.allCases.map(\.rawValue))
        let active = sqlList(AppointmentStatus.activeRawValues)
        let booked = AppointmentStatus.booked.rawValue
        let roles = sqlList(Role.allCases.map(\.rawValue))
        return [
            // trusted since PostgreSQL 13: the database owner may create it
            "CREATE EXTENSION IF NOT EXISTS btree_gist",
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            """
            CREATE TABLE users (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                email TEXT NOT NULL,
                -- the email after NFC and case folding (FieldRule.emailKey): the one uniqueness rule
                email_key TEXT NOT NULL UNIQUE,
                role TEXT NOT NULL CHECK (role IN (\(roles))),
                password_hash TEXT NOT NULL,
                specialty TEXT,
                blacklisted BOOLEAN NOT NULL DEFAULT false,
                -- access tokens issued at or before this second are refused (blacklisting)
                tokens_revoked_at BIGINT,
                -- set while an admin has the account disabled
                disabled_at BIGINT,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX users_role ON users (role, name)",
            """
            CREATE TABLE token_families (
                id TEXT PRIMARY KEY,
                user_id TEXT NOT NULL REFERENCES users (id),
                revoked_at BIGINT,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX token_families_user ON token_families (user_id)",
            """
            CREATE TABLE refresh_tokens (
                hash TEXT PRIMARY KEY,
                family_id TEXT NOT NULL REFERENCES token_families (id),
                expires_at BIGINT NOT NULL,
                rotated_at BIGINT,
                -- set when a replay inside the grace window replaced this unspent token
                revoked_at BIGINT,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id)",
            """
            CREATE TABLE availability (
                id TEXT PRIMARY KEY,
                doctor_id TEXT NOT NULL REFERENCES users (id),
                start BIGINT NOT NULL,
                "end" BIGINT NOT NULL,
                slot_minutes INTEGER NOT NULL,
                CHECK ("end" > start)
            )
            """,
            "CREATE INDEX availability_doctor_start ON availability (doctor_id, start)",
            """
            CREATE TABLE appointments (
                id TEXT PRIMARY KEY,
                patient_id TEXT NOT NULL REFERENCES users (id),
                doctor_id TEXT NOT NULL REFERENCES users (id),
                start BIGINT NOT NULL,
                "end" BIGINT NOT NULL,
                status TEXT NOT NULL CHECK (status IN (\(allStatuses))),
                reason TEXT,
                diagnosis TEXT,
                treatment TEXT,
                cancel_reason TEXT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                CHECK ("end" > start),
                -- the overlap rules at the database, across every server process: half-open
                -- ranges [start, end), so back-to-back slots do not overlap
                CONSTRAINT \(doctorOverlapConstraint) EXCLUDE USING gist
                    (doctor_id WITH =, int8range(start, "end") WITH &&) WHERE (status IN (\(active))),
                CONSTRAINT \(patientOverlapConstraint) EXCLUDE USING gist
                    (patient_id WITH =, int8range(start, "end") WITH &&) WHERE (status IN (\(active)))
            )
            """,
            "CREATE INDEX appointments_doctor_start ON appointments (doctor_id, start)",
            "CREATE INDEX appointments_patient_start ON appointments (patient_id, start)",
            "CREATE INDEX appointments_start ON appointments (start, id)",
            #"CREATE INDEX appointments_status_end ON appointments (status, "end")"#,
            // final states stay final, whatever code path writes
            """
            CREATE FUNCTION appointments_final_states() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF OLD.status <> '\(booked)' AND NEW.status <> OLD.status THEN
                    RAISE EXCEPTION 'INVALID_TRANSITION';
                END IF;
                RETURN NEW;
            END $$
            """,
            """
            CREATE TRIGGER appointments_final_states BEFORE UPDATE OF status ON appointments
            FOR EACH ROW EXECUTE FUNCTION appointments_final_states()
            """,
            // one row per changed thing; seq is drawn under PostgresChanges.lockKey (commit order)
            "CREATE SEQUENCE changes_seq AS BIGINT",
            """
            CREATE TABLE changes (
                seq BIGINT PRIMARY KEY,
                entity TEXT NOT NULL,
                entity_id TEXT NOT NULL,
                doctor_id TEXT,
                patient_id TEXT,
                deleted BOOLEAN NOT NULL DEFAULT false,
                UNIQUE (entity, entity_id)
            )
            """,
            "CREATE INDEX changes_patient ON changes (patient_id, seq)",
            "CREATE INDEX changes_doctor ON changes (doctor_id, seq)",
            """
            CREATE TABLE sync_clients (
                id TEXT PRIMARY KEY,
                user_id TEXT NOT NULL REFERENCES users (id),
                last_mutation_id BIGINT NOT NULL DEFAULT 0,
                created_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE sync_mutations (
                client_id TEXT NOT NULL REFERENCES sync_clients (id),
                mutation_id BIGINT NOT NULL,
                digest TEXT NOT NULL,
                status TEXT NOT NULL,
                code TEXT,
                message TEXT,
                client_time BIGINT,
                handled_at BIGINT NOT NULL,
                PRIMARY KEY (client_id, mutation_id)
            )
            """,
            """
            CREATE TABLE penalties (
                id TEXT PRIMARY KEY,
                patient_id TEXT NOT NULL REFERENCES users (id),
                appointment_id TEXT NOT NULL UNIQUE REFERENCES appointments (id),
                doctor_id TEXT NOT NULL REFERENCES users (id),
                reason TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX penalties_patient ON penalties (patient_id, created_at)",
            "CREATE INDEX penalties_created ON penalties (created_at, id)",
            """
            CREATE TABLE email_outbox (
                id TEXT PRIMARY KEY,
                penalty_id TEXT NOT NULL UNIQUE REFERENCES penalties (id),
                recipient TEXT NOT NULL,
                subject TEXT NOT NULL,
                body TEXT NOT NULL,
                message_id TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at BIGINT NOT NULL,
                last_error TEXT,
                sent_at BIGINT,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX email_outbox_due ON email_outbox (sent_at, next_attempt_at)",
            """
            CREATE TABLE audit_log (
                seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                at BIGINT NOT NULL,
                actor_id TEXT,
                actor_role TEXT,
                action TEXT NOT NULL,
                entity TEXT NOT NULL,
                entity_id TEXT,
                patient_id TEXT,
                outcome TEXT NOT NULL,
                request_id TEXT NOT NULL,
                client_ip TEXT NOT NULL
            )
            """,
            "CREATE INDEX audit_at ON audit_log (at, seq)",
            "CREATE INDEX audit_actor ON audit_log (actor_id, seq)",
            "CREATE INDEX audit_patient ON audit_log (patient_id, seq)",
            // append-only, whatever code path writes
            """
            CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'the audit log is append-only';
            END $$
            """,
            """
            CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
            FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()
            """,
            """
            CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
            FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()
            """,
            // TRUNCATE skips row triggers; refuse it too
            """
            CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
            FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()
            """,
            // one row per booking: its busy id, and whether its delete was recorded
            """
            CREATE TABLE busy (
                id TEXT PRIMARY KEY,
                appointment_id TEXT NOT NULL UNIQUE REFERENCES appointments (id),
                "end" BIGINT NOT NULL,
                ended BOOLEAN NOT NULL DEFAULT false
            )
            """,
            #"CREATE INDEX busy_open_end ON busy ("end") WHERE NOT ended"#,
        ]
    }
}
