import Foundation
import HMSSyncCore
import HMSTestSupport
import Testing

/// The database two servers share: a fresh PostgreSQL database, or one SQLite file (WAL,
/// serialized writers), the baseline the PostgreSQL backend must match.
enum SharedDatabase: String, CaseIterable, Sendable {
    case sqlite, postgres

    /// The `--database-url` both servers get, or nil when the PostgreSQL tests are skipped.
    func url(folder: String) async throws -> (url: String, drop: @Sendable () async -> Void)? {
        switch self {
        case .sqlite:
            return ((folder as NSString).appendingPathComponent("shared.sqlite"), {})
        case .postgres:
            guard let database = try await PostgresTestDatabase.make() else { return nil }
            return (database.url, { try? await database.drop() })
        }
    }
}

/// One `hms-server` process of a pair, on its own port.
final class ServerInstance: @unchecked Sendable {
    // @unchecked: a test drives its servers from one task at a time.
    let port = Ports.free()
    let http: HTTP
    let folder: String
    private let databaseURL: String
    private var child: ChildProcess?

    var url: String { "http://127.0.0.1:\(port)" }

    init(databaseURL: String, folder: String) {
        self.databaseURL = databaseURL
        self.folder = folder
        http = HTTP(base: "http://127.0.0.1:\(port)")
    }

    /// Starts the process and waits for `/healthz`; `extra` are more flags.
    func start(_ extra: [String] = []) async throws {
        let arguments = [
            "--host", "127.0.0.1", "--port", String(port), "--database-url", databaseURL, "--bcrypt-cost", "4",
            "--admin-email", TestServer.adminEmail, "--admin-password", TestServer.adminPassword,
            "--jwt-secret", TestServer.jwtSecret, "--rate-limit", "1000000", "--no-show-interval", "0",
        ] + extra
        let child = try ChildProcess(
            executable: Binaries.server, arguments: arguments, environment: ProcessInfo.processInfo.environment,
            logFolder: folder)
        self.child = child
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if !child.isRunning { throw TestFailure("hms-server exited at start: \(child.stderr.suffix(2_000))") }
            if (try? await http.call("GET", "/healthz"))?.status == 200 { return }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        child.signal(SIGKILL)
        throw TestFailure("hms-server did not answer /healthz within 60 s")
    }

    var isRunning: Bool { child?.isRunning ?? false }
    var stderr: String { child?.stderr ?? "" }

    /// `kill -9`: no drain, no cleanup.
    func kill() async {
        guard let child else { return }
        self.child = nil
        child.signal(SIGKILL)
        _ = await child.waitForExit(timeout: 20)
    }

    /// SIGTERM, and waits for the exit.
    func stop() async {
        guard let child else { return }
        self.child = nil
        child.signal(SIGTERM)
        _ = await child.waitForExit(timeout: 20)
    }

    deinit { child?.signal(SIGKILL) }
}

/// Two `hms-server` processes on one database, as behind a load balancer; both share the JWT
/// secret, so a token from one is good at the other.
struct ServerPair: Sendable {
    let first: ServerInstance
    let second: ServerInstance
    var both: [ServerInstance] { [first, second] }

    /// Runs `body` with a started pair, or does nothing when the PostgreSQL tests are skipped.
    static func with(
        _ database: SharedDatabase, url given: String? = nil, _ body: (ServerPair) async throws -> Void
    ) async throws {
        let folder = try Temp.folder("pair")
        defer { Temp.remove(folder) }
        let shared: (url: String, drop: @Sendable () async -> Void)
        if let given {
            shared = (given, {})
        } else {
            guard let made = try await database.url(folder: folder) else { return }
            shared = made
        }
        let pair = ServerPair(
            first: ServerInstance(databaseURL: shared.url, folder: try Temp.folder("a")),
            second: ServerInstance(databaseURL: shared.url, folder: try Temp.folder("b")))
        do {
            if database == .postgres {
                // Started together: the migrations run under an advisory lock, not in turn.
                async let a: Void = pair.first.start()
                async let b: Void = pair.second.start()
                _ = try await (a, b)
            } else {
                // Two processes creating one SQLite file at once race to switch it to WAL; a
                // SQLite clinic runs one server, so the baseline starts them in turn.
                try await pair.first.start()
                try await pair.second.start()
            }
            try await body(pair)
        } catch {
            for server in pair.both { print("hms-server log (\(server.port)): \(server.stderr.suffix(3_000))") }
            await pair.stopAll()
            await shared.drop()
            throw error
        }
        await pair.stopAll()
        await shared.drop()
    }

    func stopAll() async {
        for server in both {
            await server.stop()
            Temp.remove(server.folder)
        }
    }
}
