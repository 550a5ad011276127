import Foundation
import HMSSyncCore
import Hummingbird
import HummingbirdTesting
import Logging
@testable import HMSServer

/// A folder of its own under the temporary directory, removed once no server uses it.
final class TempFolder: Sendable {
    let path: String

    init() throws {
        path = (NSTemporaryDirectory() as NSString)
            .appendingPathComponent("hms-test-\(UUID().uuidString.lowercased())")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// One test's server: its own SQLite file, a fixed 40-byte secret, fast bcrypt and a rate limit
/// no test reaches unless it lowers it. `restarted` starts the same database again.
struct TestServer: Sendable {
    static let jwtSecret = "0123456789abcdefghijklmnopqrstuvwxyzABCD"
    static let adminEmail = "admin@hms.test"
    static let adminPassword = "admin-password-1"

    let folder: TempFolder
    let config: Config

    init(_ configure: (inout Config) -> Void = { _ in }) throws {
        let folder = try TempFolder()
        var config = Config()
        config.port = 0
        config.database = .sqlite(path: (folder.path as NSString).appendingPathComponent("hms.sqlite"))
        config.jwtSecret = Self.jwtSecret
        config.adminEmail = Self.adminEmail
        config.adminPassword = Self.adminPassword
        config.bcryptCost = 4
        config.rateLimit = 1_000_000
        config.noShowInterval = 0
        configure(&config)
        self.init(folder: folder, config: config)
    }

    private init(folder: TempFolder, config: Config) {
        self.folder = folder
        self.config = config
    }

    var databasePath: String { (folder.path as NSString).appendingPathComponent("hms.sqlite") }

    /// The same database and secret, started again with changed settings.
    func restarted(_ change: (inout Config) -> Void) -> TestServer {
        var config = config
        change(&config)
        return TestServer(folder: folder, config: config)
    }

    /// Builds the app as `hms-server` does and runs `test` against it.
    @discardableResult
    func run<Value>(_ setup: TestingSetup = .router, _ test: @Sendable (API) async throws -> Value) async throws -> Value {
        var logger = Logger(label: "hms-test")
        logger.logLevel = .error
        let app = try await buildApplication(config: config, logger: logger)
        return try await app.test(setup) { client in try await test(API(client)) }
    }
}

/// Times the tests book: whole hours in UTC, relative to today, so they stay in the future.
enum TestTime {
    /// The start of the UTC day `days` from today, plus `hour` hours and `minute` minutes.
    static func day(_ days: Int, hour: Int = 0, minute: Int = 0) -> Date {
        let today = (Date().timeIntervalSince1970 / 86_400).rounded(.down) * 86_400
        return Date(timeIntervalSince1970: today + Double(days * 86_400 + hour * 3_600 + minute * 60))
    }

    /// The next whole hour after now.
    static var nextWholeHour: Date {
        Date(timeIntervalSince1970: ((Date().timeIntervalSince1970 / 3_600).rounded(.down) + 1) * 3_600)
    }

    /// `YYYY-MM-DD` of `date` in UTC (the tests' clinic zone).
    static func dateString(_ date: Date) -> String {
        String(RFC3339.format(date).prefix(10))
    }
}

/// A time as the contract writes it.
func iso(_ date: Date) -> String { RFC3339.format(date) }
