import Foundation
import HMSSyncCore
import Hummingbird
import HummingbirdTesting
import Logging

@testable import HMSServer

/// A real `hms-server` on its own temporary SQLite file, reached over a loopback socket, plus a
/// folder for the replicas of the test's devices. Everything is removed when the test ends.
struct LiveServer: Sendable {
    /// `http://localhost:PORT`, as a device would be told.
    let url: String
    /// The server's database file, for checks no endpoint offers (stored mutation results).
    let databasePath: String
    /// A folder for replica files.
    let folder: String
    let rest: REST
    let adminEmail = "admin@hms.test"
    let adminPassword = "admin-password-1"

    /// Runs `body` against a fresh server; `clockOffset` and `accessTTL` as HMS_CLOCK_OFFSET and
    /// HMS_ACCESS_TTL.
    static func run<T: Sendable>(
        clockOffset: Int = 0, accessTTL: Int = 900, _ body: @Sendable (LiveServer) async throws -> T
    ) async throws -> T {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("hms-sync-tests-\(UUID().uuidString.lowercased())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var config = Config()
        config.port = 0
        config.database = .sqlite(path: folder + "/server.sqlite")
        config.jwtSecret = "sync-tests-secret-that-is-long-enough-0123456789"
        config.adminEmail = "admin@hms.test"
        config.adminPassword = "admin-password-1"
        config.bcryptCost = 4
        config.rateLimit = 1_000_000
        config.noShowInterval = 0
        config.clockOffset = clockOffset
        config.accessTTL = accessTTL
        var logger = Logger(label: "hms-sync-tests")
        logger.logLevel = .critical
        let app = try await buildApplication(config: config, logger: logger)
        return try await app.test(.live) { client in
            guard let port = client.port else { throw TestFailure("the live test server has no port") }
            let url = "http://localhost:\(port)"
            return try await body(
                LiveServer(url: url, databasePath: folder + "/server.sqlite", folder: folder, rest: REST(base: url)))
        }
    }

    /// A new replica file in the test's folder.
    func replicaPath(_ name: String) -> String { folder + "/replica-\(name)-\(UUID().uuidString.prefix(8)).sqlite" }
}

/// A failed expectation of the harness itself (not of the code under test).
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
