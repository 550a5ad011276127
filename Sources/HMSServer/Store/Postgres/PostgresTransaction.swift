import Logging
import PostgresNIO

/// One open transaction on one leased connection, used only on the thread-pool thread that
/// runs it (see ``PostgresConnector``): each call sends one statement and blocks that thread on
/// postgres-nio's future until the answer is in. Every value goes in through `PostgresQuery`
/// interpolation, which binds it as a parameter.
final class PostgresTransaction {
    private let connection: PostgresConnection
    private let logger: Logger
    private var savepoints = 0

    init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// The rows `query` returns.
    func query(_ query: PostgresQuery) throws -> [PostgresRow] {
        try connection.query(query, logger: logger).wait().rows
    }

    /// Runs `query` and answers the rows it affected (from the command tag; 0 when it has none).
    @discardableResult
    func execute(_ query: PostgresQuery) throws -> Int {
        try connection.query(query, logger: logger).wait().metadata.rows ?? 0
    }

    /// Runs `body` inside a savepoint: released when it returns, rolled back to when it throws
    /// (the error is rethrown), so a failed statement (say a refused insert) leaves the rest of
    /// the transaction usable.
    func savepoint<T>(_ body: () throws -> T) throws -> T {
        savepoints += 1
        defer { savepoints -= 1 }
        // The name is a counter, never caller text.
        let name = "hms_sp_\(savepoints)"
        try execute(PostgresQuery(unsafeSQL: "SAVEPOINT \(name)"))
        do {
            let result = try body()
            try execute(PostgresQuery(unsafeSQL: "RELEASE SAVEPOINT \(name)"))
            return result
        } catch {
            try execute(PostgresQuery(unsafeSQL: "ROLLBACK TO SAVEPOINT \(name)"))
            try execute(PostgresQuery(unsafeSQL: "RELEASE SAVEPOINT \(name)"))
            throw error
        }
    }

    /// Waits for the transaction-scoped advisory lock `key` (`pg_advisory_xact_lock`); it is
    /// released at COMMIT or ROLLBACK.
    func advisoryLock(_ key: Int64) throws {
        try execute("SELECT pg_advisory_xact_lock(\(key))")
    }

    /// Opens a transaction with `begin`, runs `body`, commits; rolls back and rethrows when
    /// `body` or the commit throws.
    static func run<T>(
        on connection: PostgresConnection, logger: Logger, begin: PostgresQuery,
        _ body: (PostgresTransaction) throws -> T
    ) throws -> T {
        let transaction = PostgresTransaction(connection: connection, logger: logger)
        try transaction.execute(begin)
        do {
            let result = try body(transaction)
            try transaction.execute("COMMIT")
            return result
        } catch {
            // A lost connection fails the rollback too; the body's error is the one to report.
            _ = try? transaction.execute("ROLLBACK")
            throw error
        }
    }
}
