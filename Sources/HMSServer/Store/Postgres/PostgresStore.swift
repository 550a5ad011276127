import Foundation
import HMSSyncCore
import HMSWebSupport
import Logging
import PostgresNIO

/// The central store on PostgreSQL, shared by several stateless servers on one database.
///
/// PostgreSQL runs many writers at once, so the rules SQLite gets from its single writer are
/// made explicit here: the overlap rules are exclusion constraints (`PostgresSchema`), change
/// positions are drawn under an advisory lock (`PostgresChanges`), and each intent, push and
/// job locks the rows or keys it decides on before it reads its facts.
final class PostgresStore: ServerStore {
    let connector: PostgresConnector

    /// How often a transaction runs when PostgreSQL ends it with a deadlock or a serialization
    /// failure (both leave nothing written, so running it again is safe). Concurrent bookings
    /// whose ranges meet in the exclusion constraints deadlock now and then by design of the
    /// constraint check; each retry first waits a random part of a doubling delay, so the two
    /// victims of one deadlock don't meet again at once.
    static let attempts = 6

    init(connector: PostgresConnector) {
        self.connector = connector
    }

    /// Connects to `url`, migrates under the migration lock, and returns the running store.
    /// A failure at start is one `ConfigError` line (`PostgresStartupError`).
    static func open(url: String, logger: Logger, maximumConnections: Int = 10) async throws -> PostgresStore {
        PostgresStore(
            connector: try await PostgresConnector.open(url: url, logger: logger, maximumConnections: maximumConnections))
    }

    /// One write transaction without an audit row of its own (the flows append theirs).
    func transaction<T: Sendable>(_ body: @escaping @Sendable (PostgresTransaction) throws -> T) async throws -> T {
        try await retrying { try await self.connector.write(body) }
    }

    /// A write transaction of this backend's own queries, with the request's audit row
    /// (`auditedTransaction`).
    func write<T: Sendable>(_ body: @escaping @Sendable (PostgresTransaction) throws -> T) async throws -> T {
        try await auditedTransaction(body)
    }

    /// A read-only transaction.
    func read<T: Sendable>(_ body: @escaping @Sendable (PostgresTransaction) throws -> T) async throws -> T {
        try await retrying { try await self.connector.read(body) }
    }

    /// A read-only transaction on one snapshot (a pull reads its page and the client's
    /// `lastMutationId` as of one moment).
    func snapshot<T: Sendable>(_ body: @escaping @Sendable (PostgresTransaction) throws -> T) async throws -> T {
        try await retrying { try await self.connector.snapshot(body) }
    }

    /// Runs `attempt` again when PostgreSQL rolled it back as a deadlock victim or for a
    /// serialization failure; any other error goes to the caller.
    private func retrying<T>(_ attempt: () async throws -> T) async throws -> T {
        var tries = 1
        while true {
            do {
                return try await attempt()
            } catch let error as PSQLError where error.isRetryable && tries < Self.attempts {
                try await Task.sleep(for: .milliseconds(Int.random(in: 1...(5 << tries))))
                tries += 1
            }
        }
    }

    /// Whether the database answers a query (for `/readyz`).
    func isReachable() async -> Bool {
        (try? await connector.read { try $0.query("SELECT 1").count }) == 1
    }

    func close() async {
        try? await connector.shutdown()
    }

    /// A stable id of this database, written once by the first migration: pull cursors carry it.
    func databaseId() async throws -> String {
        try await read { tx in
            try tx.query("SELECT value FROM meta WHERE key = 'databaseId'").first?.decode(String.self) ?? ""
        }
    }
}
