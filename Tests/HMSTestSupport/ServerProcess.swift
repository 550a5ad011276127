import Foundation
import HMSSyncCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A real `hms-server` child process on a loopback port and a ``TestDatabase``, with the test
/// accounts' admin and secret, fast bcrypt and no automatic sweep. It can be stopped and started
/// again on the same port and database; several processes may share one database.
public final class ServerProcess: @unchecked Sendable {
    // @unchecked: `child` is only touched under `lock`; the rest is immutable.
    public let port: Int
    public let database: TestDatabase
    public let executable: String
    /// Where the server's standard output and error go, one pair of files per start.
    public let logFolder: String
    public let rest: RESTClient
    private let arguments: [String]
    private let environment: [String: String]
    private let ownFolder: TempFolder?
    private let lock = NSLock()
    private var child: ChildProcess?

    /// `http://127.0.0.1:PORT`.
    public var url: String { "http://127.0.0.1:\(port)" }

    /// The running server's process id; nil while it is stopped.
    public var pid: Int32? { lock.withLock { child?.pid } }

    /// A server that is not started yet. `arguments` are more `hms-server` flags, `environment`
    /// more variables (the test's own `HMS_*` variables are not passed on); `executable` defaults
    /// to the debug build's `hms-server`, `logFolder` to a temporary folder of its own.
    public init(
        database: TestDatabase, arguments: [String] = [], environment: [String: String] = [:],
        executable: String? = nil, logFolder: String? = nil, port: Int? = nil
    ) throws {
        self.database = database
        self.executable = try executable ?? Binaries.path(of: "hms-server")
        self.port = try port ?? FreePort.next()
        ownFolder = logFolder == nil ? try TempFolder("server") : nil
        self.logFolder = logFolder ?? ownFolder!.path
        self.arguments = arguments
        self.environment = environment
        rest = RESTClient(base: "http://127.0.0.1:\(self.port)")
    }

    /// The flags every test server starts with.
    public var standardArguments: [String] {
        [
            "--host", "127.0.0.1", "--port", String(port), "--database-url", database.url, "--bcrypt-cost", "4",
            "--admin-email", TestAccounts.adminEmail, "--admin-password", TestAccounts.adminPassword,
            "--jwt-secret", TestAccounts.jwtSecret, "--rate-limit", "1000000", "--no-show-interval", "0",
        ]
    }

    /// Starts the server and waits until `/healthz` answers 200 (or the process ends).
    /// `extra` are flags for this start only (say a clock offset after a restart).
    public func start(_ extra: [String] = [], within timeout: Duration = .seconds(60)) async throws {
        var variables = ProcessInfo.processInfo.environment
        for name in variables.keys where name.hasPrefix("HMS_") { variables[name] = nil }
        variables.merge(environment) { $1 }
        let started = try ChildProcess(
            executable: executable, arguments: standardArguments + arguments + extra, environment: variables,
            logFolder: logFolder)
        lock.withLock { child = started }
        let deadline = ContinuousClock.now + timeout
        let probe = RESTClient(base: url, timeout: 2)
        while ContinuousClock.now < deadline {
            guard started.isRunning else { throw TestFailure("hms-server exited at start: \(started.stderr.suffix(2_000))") }
            if let answer = try? await probe.send("GET", "/healthz"), answer.status == 200 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        started.signal(SIGKILL)
        throw TestFailure("hms-server did not answer /healthz within \(timeout): \(started.stderr.suffix(2_000))")
    }

    /// The running child, if any.
    public var process: ChildProcess? { lock.withLock { child } }

    /// Whether the last start's process is still running.
    public var isRunning: Bool { process?.isRunning ?? false }

    /// The standard error of the last start.
    public var stderr: String { process?.stderr ?? "" }

    /// Sends `signal` (SIGTERM by default) and waits for the exit; answers how it ended.
    @discardableResult
    public func stop(_ signal: Int32 = SIGTERM) async -> (status: Int32, reason: ChildProcess.TerminationReason)? {
        guard let running = lock.withLock({ () -> ChildProcess? in defer { child = nil }; return child }) else { return nil }
        running.signal(signal)
        let exit = await running.waitForExit(timeout: 20)
        return (exit.status, exit.reason)
    }

    deinit { child?.signal(SIGKILL) }

    /// Runs `body` with a started server on a new database of `backend`, and stops it and drops
    /// the database afterwards, thrown or not.
    public static func with<T>(
        _ backend: TestBackend = .sqlite, arguments: [String] = [], _ body: (ServerProcess) async throws -> T
    ) async throws -> T {
        let database = try await TestDatabase.make(backend, in: try TempFolder("database"))
        let server = try ServerProcess(database: database, arguments: arguments)
        do {
            try await server.start()
            let result = try await body(server)
            await server.stop()
            try await database.drop()
            return result
        } catch {
            await server.stop()
            try? await database.drop()
            throw error
        }
    }
}
