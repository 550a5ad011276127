import Foundation
import HMSTestSupport
import Hummingbird
import HummingbirdTesting
import Logging
@testable import HMSServer

/// One test's in-process server on one backend: a folder and a database of its own (a SQLite
/// file, or a fresh PostgreSQL database), the test accounts' secret and admin, fast bcrypt, and a
/// rate limit no test reaches unless it lowers it. `restarted` starts the same database again.
///
/// HMSServerTests and HMSSyncTests compile this one file (HMSSyncTests/Support links to it):
/// it needs `@testable import HMSServer`, which the shared library HMSTestSupport cannot have.
struct TestServer: Sendable {
    let folder: TempFolder
    let database: TestDatabase
    let config: Config

    init(_ backend: TestBackend, _ configure: (inout Config) -> Void = { _ in }) async throws {
        let folder = try TempFolder("server")
        let database = try await TestDatabase.make(backend, in: folder)
        var config = Config()
        config.port = 0
        config.database =
            switch database.location {
            case .sqlite(let path): .sqlite(path: path)
            case .postgres(let url): .postgres(url: url)
            }
        config.jwtSecret = TestAccounts.jwtSecret
        config.adminEmail = TestAccounts.adminEmail
        config.adminPassword = TestAccounts.adminPassword
        config.bcryptCost = 4
        config.rateLimit = 1_000_000
        config.noShowInterval = 0
        configure(&config)
        self.init(folder: folder, database: database, config: config)
    }

    private init(folder: TempFolder, database: TestDatabase, config: Config) {
        self.folder = folder
        self.database = database
        self.config = config
    }

    var backend: TestBackend { database.backend }

    /// The same database and secret, started again with changed settings.
    func restarted(_ change: (inout Config) -> Void) -> TestServer {
        var config = config
        change(&config)
        return TestServer(folder: folder, database: database, config: config)
    }

    /// The same database, restarted with the server clock reading `instant` (give or take a second).
    func restarted(at instant: Date, _ change: (inout Config) -> Void = { _ in }) -> TestServer {
        restarted { config in
            config.clockOffset = Int(instant.timeIntervalSinceNow.rounded(.up))
            change(&config)
        }
    }

    /// Builds the app as `hms-server` does and runs `test` with a client of it: through the
    /// router (`.router`) or a real socket (`.live`).
    func withClient<Value>(
        _ setup: TestingSetup, _ test: @Sendable (any TestClientProtocol) async throws -> Value
    ) async throws -> Value {
        var logger = Logger(label: "hms-test")
        logger.logLevel = .error
        let app = try await buildApplication(config: config, logger: logger)
        return try await app.test(setup, test)
    }

    /// Runs `body` with a second store on the test's database, opened as another server process
    /// opens it, and closes it afterwards.
    @discardableResult
    func withStore<Value>(_ body: (any ServerStore) async throws -> Value) async throws -> Value {
        let store = try await openStore(config)
        do {
            let value = try await body(store)
            await store.close()
            return value
        } catch {
            await store.close()
            throw error
        }
    }
}
