import Foundation
import GRDB
import HMSSyncCore

/// The authoritative store on embedded SQLite. Every write is one GRDB transaction; SQLite
/// serializes writers, so a check and the write it guards can never interleave with another's,
/// and change positions are given in commit order.
final class SQLiteStore: ServerStore, TransactionalStore {
    let pool: DatabasePool
    /// The flows' write transactions share commits (`GroupCommit`).
    let groupCommit: GroupCommit

    /// Opens (and creates or migrates) the database file at `path`; a missing folder is made
    /// 0700, and the database with its `-wal` and `-shm` files is 0600.
    init(path: String) throws {
        try PrivateFiles.prepareDatabase(at: path)
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // 64 MiB of page cache (the default is 2 MiB): index pages of busy doctors stay hot
            try db.execute(sql: "PRAGMA cache_size = -65536")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        // Every commit syncs the WAL: a write is on disk before its answer leaves (docs/
        // operations.md, "Durability of an answer"). Set on the one writer connection, after
        // GRDB's own WAL set-up, which chooses NORMAL (synced only at checkpoints).
        // The writer keeps its statement journals in memory: every savepoint (one per pushed
        // intent and per grouped commit) journals the pages it changes, and on disk that was a
        // temporary file written page by page (docs/operations.md, "Durability of an answer").
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL; PRAGMA temp_store = MEMORY")
        }
        try Self.migrator.migrate(pool)
        groupCommit = GroupCommit(pool: pool)
    }

    /// One of the flows' write transactions, committed together with those that arrive while
    /// the commit before it is under way; its own savepoint keeps it apart from them.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (SQLiteTransaction) throws -> T) async throws -> T {
        try await groupCommit.run { db in try body(SQLiteTransaction(db: db)) }
    }

    /// A write transaction on the GRDB database itself (this backend's own queries). Inside a
    /// request it also appends the request's audit row, so the write and its audit row commit
    /// together or not at all (`AuditTrail`).
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        guard let trail = AuditTrail.current else { return try await pool.write(body) }
        return try await pool.write { db in
            let value = try body(db)
            try trail.appendWrite(SQLiteTransaction(db: db), result: value)
            return value
        }
    }

    func close() async {
        try? pool.close()
    }

    /// Whether the database answers a query (for `/readyz`).
    func isReachable() async -> Bool {
        (try? await pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }) == 1
    }

    /// A stable id of this database, written once: pull cursors carry it so that a cursor from
    /// another database is recognized and answered with `reset`.
    func databaseId() async throws -> String {
        try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'databaseId'") ?? ""
        }
    }
}

extension Date {
    /// Whole seconds since 1970, as the store keeps times.
    var epochSeconds: Int64 { Int64(timeIntervalSince1970.rounded(.down)) }

    init(epochSeconds: Int64) {
        self.init(timeIntervalSince1970: TimeInterval(epochSeconds))
    }
}
