import Foundation
import NIOSSL
import PostgresNIO

/// A `postgres://` or `postgresql://` URL of `HMS_DATABASE_URL` (CONTRACT.md §7), parsed once.
///
/// `postgres://USER:PASSWORD@HOST[:PORT]/DATABASE[?sslmode=disable|prefer|require]`; user and
/// password are percent-decoded, the port defaults to 5432 and the database to the user's name
/// (as libpq does). A password is required: the server never logs in without one.
///
/// `sslmode` defaults to `disable` for a loopback host (`localhost`, `127.0.0.0/8`, `::1`),
/// where TLS protects nothing, and to `require` for every other host, so a database across a
/// network is never reached in clear text by accident. `require` verifies the server's
/// certificate and name against the system's trust roots (libpq's `verify-full`); `prefer`
/// tries TLS and falls back to clear text.
///
/// The password appears in no description and no error: ``description`` leaves it out.
struct PostgresURL: Sendable, CustomStringConvertible {
    /// The `sslmode` values this server understands.
    enum TLSMode: String, Sendable {
        case disable, prefer, require
    }

    let host: String
    let port: Int
    let user: String
    let password: String
    let database: String
    let tlsMode: TLSMode

    /// The setting every parse error names.
    static let setting = "HMS_DATABASE_URL"

    /// Parses `text`, or throws a `ConfigError` that names what is wrong (and never the password).
    init(_ text: String) throws {
        func problem(_ text: String) -> ConfigError { ConfigError(setting: Self.setting, problem: text) }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "postgres" || scheme == "postgresql"
        else { throw problem("is not a postgres:// URL") }
        guard var host = components.host, !host.isEmpty else { throw problem("names no PostgreSQL host") }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard let user = components.percentEncodedUser?.removingPercentEncoding, !user.isEmpty else {
            throw problem("names no PostgreSQL user (postgres://USER:PASSWORD@HOST/DATABASE)")
        }
        guard let password = components.percentEncodedPassword?.removingPercentEncoding, !password.isEmpty else {
            throw problem("has no password for PostgreSQL user '\(user)' (postgres://USER:PASSWORD@HOST/DATABASE)")
        }
        let path = components.percentEncodedPath.drop { $0 == "/" }
        guard let database = String(path).removingPercentEncoding, !database.contains("/") else {
            throw problem("names no valid database")
        }
        let loopback = Self.isLoopback(host)
        var tlsMode: TLSMode = loopback ? .disable : .require
        for item in components.queryItems ?? [] {
            guard item.name == "sslmode", let value = item.value, let mode = TLSMode(rawValue: value) else {
                throw problem("understands only ?sslmode=disable|prefer|require")
            }
            tlsMode = mode
        }
        self.host = host
        self.port = components.port ?? 5432
        self.user = user
        self.password = password
        self.database = database.isEmpty ? user : database
        self.tlsMode = tlsMode
    }

    /// `host:port`, for messages.
    var endpoint: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// The URL without its password.
    var description: String { "postgres://\(user)@\(endpoint)/\(database)?sslmode=\(tlsMode.rawValue)" }

    /// The pool's configuration: endpoint, credentials and TLS; pool sizes are the caller's.
    var clientConfiguration: PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS =
            switch tlsMode {
            case .disable: .disable
            case .prefer: .prefer(.makeClientConfiguration())
            case .require: .require(.makeClientConfiguration())
            }
        return PostgresClient.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: tls)
    }

    /// The same, for one connection outside the pool (start-up checks and migrations).
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS =
            switch tlsMode {
            case .disable: .disable
            case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
        return PostgresConnection.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: tls)
    }

    static func isLoopback(_ host: String) -> Bool {
        host.lowercased() == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
