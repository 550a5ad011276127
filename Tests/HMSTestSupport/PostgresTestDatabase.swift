import Foundation
import Logging
import NIOSSL
import PostgresNIO

/// A fresh PostgreSQL database for one test, made on the server `HMS_TEST_POSTGRES_URL` names
/// (a URL whose role may CREATE DATABASE; `scripts/start-postgres.sh` starts one).
///
/// Without that variable the PostgreSQL tests skip visibly outside CI (``make()`` answers nil
/// and prints one line) and fail in CI (``make()`` throws), so CI never passes by skipping.
public struct PostgresTestDatabase: Sendable {
    /// The new database's URL, with the admin URL's credentials.
    public let url: String
    /// The new database's name, `hms_t_` and 16 random hex digits.
    public let name: String
    private let adminURL: URLComponents

    /// The variable that names the test server.
    public static let variable = "HMS_TEST_POSTGRES_URL"

    /// Thrown in CI when no test server is named.
    public struct Missing: Error, CustomStringConvertible {
        public var description: String { "\(PostgresTestDatabase.variable) is not set, and CI must run the PostgreSQL tests" }
    }

    /// The admin URL of the test server, nil when none is named (printing the skip line once
    /// outside CI, throwing ``Missing`` in CI).
    public static func serverURL() throws -> String? {
        if let url = namedURL { return url }
        if isCI { throw Missing() }
        announceSkip()
        return nil
    }

    /// The URL `HMS_TEST_POSTGRES_URL` names, if any.
    public static var namedURL: String? {
        guard let url = ProcessInfo.processInfo.environment[variable], !url.isEmpty else { return nil }
        return url
    }

    /// Whether this is a CI run (`CI` set), where the PostgreSQL tests must run.
    public static var isCI: Bool {
        guard let ci = ProcessInfo.processInfo.environment["CI"] else { return false }
        return !ci.isEmpty
    }

    /// Prints, once per test run, that the PostgreSQL tests are skipped and how to run them.
    public static func announceSkip() {
        SkipNotice.once {
            print("PostgreSQL tests skipped: \(variable) is not set (eval \"$(scripts/start-postgres.sh)\" starts a throwaway server)")
        }
    }

    /// A new empty database, or nil when the PostgreSQL tests are skipped.
    public static func make() async throws -> PostgresTestDatabase? {
        guard let text = try serverURL() else { return nil }
        return try await make(onServer: text)
    }

    /// A new empty database on the server `text` names (a role that may CREATE DATABASE).
    public static func make(onServer text: String) async throws -> PostgresTestDatabase {
        guard let admin = URLComponents(string: text) else { throw InvalidURL() }
        var bytes = SystemRandomNumberGenerator()
        let name = "hms_t_" + String(format: "%016llx", bytes.next() as UInt64)
        // A database name cannot be a bind parameter; this one is made of hex digits only.
        try await run(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), on: admin)
        var components = admin
        components.percentEncodedPath = "/" + name
        guard let url = components.string else { throw InvalidURL() }
        return PostgresTestDatabase(url: url, name: name, adminURL: admin)
    }

    /// Removes the database, closing whatever connections are still open to it.
    public func drop() async throws {
        try await Self.run(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), on: adminURL)
    }

    struct InvalidURL: Error, CustomStringConvertible {
        var description: String { "\(PostgresTestDatabase.variable) is not a postgres:// URL" }
    }

    /// A connection to this database (the caller closes it).
    public func connect() async throws -> PostgresConnection {
        var components = adminURL
        components.percentEncodedPath = "/" + name
        return try await Self.connect(to: components)
    }

    private static func connect(to url: URLComponents) async throws -> PostgresConnection {
        let sslRequired = url.queryItems?.contains { $0.name == "sslmode" && $0.value == "require" } == true
        let configuration = PostgresConnection.Configuration(
            host: url.host ?? "127.0.0.1", port: url.port ?? 5432,
            username: url.percentEncodedUser?.removingPercentEncoding ?? "postgres",
            password: url.percentEncodedPassword?.removingPercentEncoding,
            database: String(url.percentEncodedPath.dropFirst()).removingPercentEncoding,
            tls: sslRequired ? .require(try NIOSSLContext(configuration: .makeClientConfiguration())) : .disable)
        return try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
    }

    static let logger = Logger(label: "hms.test.postgres")

    private static func run(_ query: PostgresQuery, on url: URLComponents) async throws {
        let connection = try await connect(to: url)
        do {
            try await connection.query(query, logger: logger)
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }
}

/// Runs a closure once per process (the skip line).
private final class SkipNotice: @unchecked Sendable {
    // @unchecked: `done` is only touched under `lock`.
    private let lock = NSLock()
    private var done = false
    private static let shared = SkipNotice()

    static func once(_ body: () -> Void) {
        shared.lock.lock()
        defer { shared.lock.unlock() }
        if !shared.done {
            shared.done = true
            body()
        }
    }
}
