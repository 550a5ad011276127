import Crypto
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
    /// The savepoint depth at which the change-order lock was taken, nil while it is not held.
    /// A rollback to a savepoint releases the locks taken after it; a release hands them on to
    /// the enclosing level.
    private var changeOrderDepth: Int?
    /// The busy-row key, once `busyKey()` has read it in this transaction.
    var cachedBusyKey: SymmetricKey?

    init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// The rows `query` returns.
    func query(_ query: PostgresQuery) throws -> [PostgresRow] {
        try answer(to: query).rows
    }

    /// Runs `query` and answers the rows it affected (from the command tag; 0 when it has none).
    @discardableResult
    func execute(_ query: PostgresQuery) throws -> Int {
        try answer(to: query).metadata.rows ?? 0
    }

    /// Sends `query` and waits for its answer, or for the news that none will come.
    ///
    /// postgres-nio (1.33.2) hands a query to its channel with no write promise: on a connection
    /// the server has just closed (a database shutting down), the write is dropped and the
    /// query's future is never completed, so a plain `wait()` blocks this thread, and the
    /// request, for good. Seen in `DatabaseOutageTests`, about one run in four. The check is
    /// queued on the connection's event loop after the write, so it runs once the write has been
    /// handled: if the channel is closed by then, the query either never reached the connection's
    /// handler or was failed by it, and in both cases failing it here answers no later than the
    /// truth. A result already in wins (a promise completes once).
    private func answer(to query: PostgresQuery) throws -> PostgresQueryResult {
        let eventLoop = connection.eventLoop
        let answer = eventLoop.makePromise(of: PostgresQueryResult.self)
        connection.query(query, logger: logger).cascade(to: answer)
        eventLoop.execute { [connection] in
            if connection.isClosed { answer.fail(PostgresFailure.unavailable) }
        }
        return try answer.futureResult.wait()
    }

    /// Runs `body` inside a savepoint: released when it returns, rolled back to when it throws
    /// (the error is rethrown), so a failed statement (say a refused insert) leaves the rest of
    /// the transaction usable.
    func savepoint<T>(_ body: () throws -> T) throws -> T {
        savepoints += 1
        let depth = savepoints
        defer { savepoints -= 1 }
        // The name is a counter, never caller text.
        let name = "hms_sp_\(depth)"
        try execute(PostgresQuery(unsafeSQL: "SAVEPOINT \(name)"))
        do {
            let result = try body()
            try execute(PostgresQuery(unsafeSQL: "RELEASE SAVEPOINT \(name)"))
            if let held = changeOrderDepth, held >= depth { changeOrderDepth = depth - 1 }
            return result
        } catch {
            if let held = changeOrderDepth, held >= depth { changeOrderDepth = nil }
            try execute(PostgresQuery(unsafeSQL: "ROLLBACK TO SAVEPOINT \(name)"))
            try execute(PostgresQuery(unsafeSQL: "RELEASE SAVEPOINT \(name)"))
            throw error
        }
    }

    /// Whether this transaction holds the change-order lock (`lockChangeOrder`).
    var holdsChangeOrder: Bool { changeOrderDepth != nil }

    /// Notes that the change-order lock was just taken, at the current savepoint depth.
    func tookChangeOrder() { changeOrderDepth = savepoints }

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
