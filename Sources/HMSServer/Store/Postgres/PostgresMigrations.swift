import Logging
import PostgresNIO

/// The PostgreSQL migrations, applied at start by every server under one session-level advisory
/// lock, so two servers starting together apply each migration once. Each migration runs in its
/// own transaction and is recorded in `schema_migrations`; ids never change once shipped.
enum PostgresMigrations {
    /// The advisory lock held while migrating ("HMSMIGRT" in ASCII). Advisory keys are per
    /// database, so other databases on the same cluster are not held up.
    static let lockKey: Int64 = 0x484D_534D_4947_5254

    /// One migration: its fixed id and what it does inside its transaction.
    struct Migration: Sendable {
        let id: String
        let apply: @Sendable (PostgresTransaction) throws -> Void
    }

    /// Every migration, in order.
    static let all: [Migration] = [
        Migration(id: "v1-schema") { transaction in
            for statement in PostgresSchema.v1 {
                // DDL takes no bind parameters; PostgresSchema builds it from constants only.
                try transaction.execute(PostgresQuery(unsafeSQL: statement))
            }
            try transaction.execute(
                "INSERT INTO meta (key, value) VALUES ('databaseId', \(randomHex(bytes: 16))) ON CONFLICT DO NOTHING")
            try transaction.execute(
                "INSERT INTO meta (key, value) VALUES (\(BusyId.metaKey), \(randomHex(bytes: 32))) ON CONFLICT DO NOTHING")
        },
        Migration(id: "v2-push-result-details") { transaction in
            // a refused mutation's details (alternatives), so a retry answers them too
            try transaction.execute("ALTER TABLE sync_mutations ADD COLUMN details TEXT")
        },
        Migration(id: "v3-reminder-outbox") { transaction in
            for statement in PostgresSchema.reminderOutbox {
                // DDL takes no bind parameters; these statements are constants.
                try transaction.execute(PostgresQuery(unsafeSQL: statement))
            }
        },
        Migration(id: "v4-scope-checksums") { transaction in
            try transaction.migrateScopeChecksums()
        },
        Migration(id: "v5-byte-order-user-index") { transaction in
            // the account lists sort and page by name and id in byte order (`COLLATE "C"`, as
            // SQLite does), which an index in the database's own collation can't serve
            try transaction.execute("DROP INDEX users_role")
            try transaction.execute(#"CREATE INDEX users_role ON users (role, name COLLATE "C", id COLLATE "C")"#)
        },
    ]

    /// Applies the migrations `connection` has not seen yet. Runs on a thread-pool thread; the
    /// caller closes the connection afterwards, which also frees the lock if this throws.
    static func run(on connection: PostgresConnection, logger: Logger) throws {
        let session = PostgresTransaction(connection: connection, logger: logger)
        try session.execute("SELECT pg_advisory_lock(\(lockKey))")
        try session.execute("CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)")
        let applied = Set(try session.query("SELECT id FROM schema_migrations").map { try $0.decode(String.self) })
        for migration in all where !applied.contains(migration.id) {
            do {
                try PostgresTransaction.run(on: connection, logger: logger, begin: "BEGIN") { transaction in
                    try migration.apply(transaction)
                    try transaction.execute(
                        "INSERT INTO schema_migrations (id, applied_at) VALUES (\(migration.id), extract(epoch FROM now())::bigint)")
                }
            } catch let error as PSQLError {
                throw failure(of: migration.id, error)
            }
            logger.info("applied PostgreSQL migration", metadata: ["migration": "\(migration.id)"])
        }
        try session.execute("SELECT pg_advisory_unlock(\(lockKey))")
    }

    /// A failed migration as one start-up line. Schema statements carry no patient data, so the
    /// server's message (say, no permission to create `btree_gist`) is safe and says what to fix.
    static func failure(of id: String, _ error: PSQLError) -> ConfigError {
        let reason =
            if let state = error.sqlState, let message = error.serverInfo?[.message] {
                "SQLSTATE \(state): \(message)"
            } else {
                "the connection was lost"
            }
        return ConfigError(setting: PostgresURL.setting, problem: "PostgreSQL migration \(id) failed (\(reason))")
    }

    /// `bytes` random bytes from the system's generator, as lower-case hex.
    static func randomHex(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<bytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) }.hex
    }
}
