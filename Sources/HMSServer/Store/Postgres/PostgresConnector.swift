import Logging
import NIOPosix
import PostgresNIO

/// The server's PostgreSQL: a running connection pool (`PostgresClient`) and a thread pool of
/// the same size on which transactions run synchronously.
///
/// The intent and push flows are written once against synchronous transactions (GRDB's are
/// closures), so each PostgreSQL transaction runs on an `NIOThreadPool` thread and blocks there
/// on postgres-nio's futures, never on a Swift concurrency thread. A transaction first leases a
/// connection, then takes a thread; with as many threads as connections, a transaction that
/// holds a connection always finds a thread free.
final class PostgresConnector: Sendable {
    private let client: PostgresClient
    private let threadPool: NIOThreadPool
    private let logger: Logger
    private let runTask: Task<Void, Never>
    /// How long a transaction waits for a connection before it answers `503 UNAVAILABLE`.
    private let leaseTimeout: Duration
    /// Where the database lives, without the password (for logs).
    let location: String

    private init(url: PostgresURL, maximumConnections: Int, leaseTimeout: Duration, logger: Logger) {
        var configuration = url.clientConfiguration
        configuration.options.maximumConnections = maximumConnections
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.threadPool = NIOThreadPool(numberOfThreads: maximumConnections)
        self.threadPool.start()
        self.logger = logger
        self.leaseTimeout = leaseTimeout
        self.location = url.description
        // The pool works only while run() runs; shutdown() cancels it.
        self.runTask = Task { await client.run() }
    }

    /// Connects to `url` (an `HMS_DATABASE_URL`), runs the migrations under an advisory lock and
    /// returns the running connector. Each failure at start is one `ConfigError` line: a URL
    /// without a password, a database that cannot be reached (naming host:port), a refused
    /// password (naming the user), an unknown role or database. `maximumConnections` sizes both
    /// the connection pool and the thread pool; a transaction that waits `leaseTimeout` for a
    /// connection fails with `503 UNAVAILABLE`.
    static func open(
        url text: String, logger: Logger, maximumConnections: Int = 10, leaseTimeout: Duration = .seconds(5)
    ) async throws -> PostgresConnector {
        let url = try PostgresURL(text)
        let connector = PostgresConnector(
            url: url, maximumConnections: maximumConnections, leaseTimeout: leaseTimeout, logger: logger)
        do {
            try await connector.migrate(url: url)
        } catch {
            try? await connector.shutdown()
            throw error
        }
        return connector
    }

    /// Runs `body` in a read-write transaction on a pool thread: BEGIN, body, COMMIT; ROLLBACK
    /// when anything throws, and the error is rethrown (a lost database as `503 UNAVAILABLE`).
    @discardableResult
    func write<T: Sendable>(_ body: @escaping @Sendable (PostgresTransaction) throws -> T) async throws -> T {
        try await transaction(begin: "BEGIN", body)
    }

    /// The same as ``write(_:)`` in a read-only transaction.
    func read<T: Sendable>(_ body: @escaping @Sendable (PostgresTransaction) throws -> T) async throws -> T {
        try await transaction(begin: "BEGIN READ ONLY", body)
    }

    /// The same as ``read(_:)`` on one snapshot: every query of `body` sees the database as it
    /// was at its first query, whatever commits meanwhile.
    func snapshot<T: Sendable>(_ body: @escaping @Sendable (PostgresTransaction) throws -> T) async throws -> T {
        try await transaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    /// Stops the pool (closing its connections) and the thread pool.
    func shutdown() async throws {
        runTask.cancel()
        await runTask.value
        try await threadPool.shutdownGracefully()
    }

    private func transaction<T: Sendable>(
        begin: PostgresQuery, _ body: @escaping @Sendable (PostgresTransaction) throws -> T
    ) async throws -> T {
        let client = self.client
        let threadPool = self.threadPool
        let logger = self.logger
        let lease = LeaseState()
        do {
            // While the database is down the pool keeps a lease waiting (up to a minute, until its
            // circuit breaker opens); a request gets 503 after `leaseTimeout` instead. The state
            // decides once whether the lease or the deadline came first, so a transaction that
            // got its connection is never reported as unavailable and then committed.
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask {
                    try await client.withConnection { connection in
                        guard lease.claim(.leased) else { throw PostgresFailure.unavailable }
                        return try await threadPool.runIfActive {
                            try PostgresTransaction.run(on: connection, logger: logger, begin: begin, body)
                        }
                    }
                }
                group.addTask { [leaseTimeout] in
                    try? await Task.sleep(for: leaseTimeout)
                    if lease.claim(.timedOut) { throw PostgresFailure.unavailable }
                    return nil
                }
                while let result = try await group.next() {
                    if let result {
                        group.cancelAll()
                        return result
                    }
                }
                throw PostgresFailure.unavailable
            }
        } catch {
            // Without a connection nothing ran: whatever the pool said (its circuit breaker,
            // a refused or lost connect, shutdown), the database is unavailable.
            guard lease.winner == .leased else { throw PostgresFailure.unavailable }
            throw PostgresFailure.mapped(error)
        }
    }

    /// Opens one connection outside the pool (so start-up failures surface at once instead of
    /// after the pool's retries), turns its failures into one line each, and migrates on it.
    /// Closing it ends the session and so frees the migration lock whatever happened.
    private func migrate(url: PostgresURL) async throws {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(
                configuration: url.connectionConfiguration(), id: 0, logger: logger)
        } catch {
            throw PostgresStartupError.configError(for: error, url: url)
        }
        let logger = self.logger
        do {
            try await threadPool.runIfActive { try PostgresMigrations.run(on: connection, logger: logger) }
        } catch {
            try? await connection.close()
            throw error
        }
        try? await connection.close()
    }
}
