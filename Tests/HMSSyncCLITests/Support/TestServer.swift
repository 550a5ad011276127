import Foundation
import HMSSyncCore
import HMSSyncCurl
import Testing

/// A real `hms-server` on a free loopback port with its own temporary SQLite database; it can be
/// stopped (SIGTERM) and started again on the same port and database.
final class TestServer: @unchecked Sendable {
    // @unchecked: a test drives its server from one task at a time.
    static let adminEmail = "admin@hms.test"
    static let adminPassword = "admin-password-1"
    static let jwtSecret = "cli-tests-secret-0123456789abcdefghijklmn"

    let folder: String
    let port: Int
    var databasePath: String { (folder as NSString).appendingPathComponent("hms.sqlite") }
    var url: String { "http://127.0.0.1:\(port)" }
    let http: HTTP
    private var child: ChildProcess?
    private let extraArguments: [String]

    /// Starts a server; `extraArguments` are more `hms-server` flags.
    init(extraArguments: [String] = []) async throws {
        folder = try Temp.folder("server")
        port = Ports.free()
        self.extraArguments = extraArguments
        http = HTTP(base: "http://127.0.0.1:\(port)")
        try await start()
    }

    func start() async throws {
        let arguments = [
            "--host", "127.0.0.1", "--port", String(port), "--database-url", databasePath, "--bcrypt-cost", "4",
            "--admin-email", Self.adminEmail, "--admin-password", Self.adminPassword, "--jwt-secret", Self.jwtSecret,
            "--rate-limit", "1000000", "--no-show-interval", "0",
        ] + extraArguments
        let child = try ChildProcess(
            executable: Binaries.server, arguments: arguments, environment: ProcessInfo.processInfo.environment,
            logFolder: folder)
        self.child = child
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if !child.isRunning {
                throw TestFailure("hms-server exited at start: \(child.stderr.suffix(2_000))")
            }
            if let response = try? await http.transport.send(TransportRequest(method: "GET", url: url + "/healthz")),
                response.status == 200
            {
                return
            }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        child.signal(SIGKILL)
        throw TestFailure("hms-server did not answer /healthz within 60 s")
    }

    deinit {
        child?.signal(SIGKILL)
        Temp.remove(folder)
    }

    /// SIGTERM, and waits for the exit.
    func stop() async {
        guard let child else { return }
        self.child = nil
        child.signal(SIGTERM)
        _ = await child.waitForExit(timeout: 20)
    }

    /// Runs `body` with a started server and stops it afterwards, thrown or not.
    static func with<T>(extraArguments: [String] = [], _ body: (TestServer) async throws -> T) async throws -> T {
        let server = try await TestServer(extraArguments: extraArguments)
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

enum Temp {
    /// A new folder under the system's temporary folder.
    static func folder(_ prefix: String) throws -> String {
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("hms-cli-\(prefix)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Removes a test's folder, unless HMS_KEEP_TEST_FILES is set (to look at a failure).
    static func remove(_ path: String) {
        guard ProcessInfo.processInfo.environment["HMS_KEEP_TEST_FILES"] == nil else { return }
        try? FileManager.default.removeItem(atPath: path)
    }
}
