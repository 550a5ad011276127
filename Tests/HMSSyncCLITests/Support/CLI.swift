import Foundation
import HMSTestSupport
import Testing

/// What one `hms-sync` run left behind.
struct CLIResult: CustomStringConvertible {
    let arguments: [String]
    let status: Int32
    let stdout: String
    let stderr: String

    /// stdout as exactly one JSON document (a failure is recorded when it is not).
    var json: Any? {
        do {
            return try JSONSerialization.jsonObject(with: Data(stdout.utf8), options: [.fragmentsAllowed])
        } catch {
            Issue.record("stdout of `hms-sync \(arguments.joined(separator: " "))` is not one JSON document: \(stdout)")
            return nil
        }
    }

    var object: [String: Any] { json as? [String: Any] ?? [:] }
    var array: [[String: Any]] { json as? [[String: Any]] ?? [] }

    var description: String {
        "hms-sync \(arguments.joined(separator: " ")) → \(status)\nstdout: \(stdout)\nstderr: \(stderr)"
    }
}

/// Runs the real `hms-sync` against one replica file, with HOME in a temporary folder so
/// nothing of the machine's user is touched. The folder goes when the test is done with it.
final class CLI: Sendable {
    let replica: String
    private let home: TempFolder
    /// HOME of the runs: the replica, the key store and the runs' output.
    var folder: String { home.path }

    init(name: String = "replica") throws {
        home = try TempFolder("cli")
        replica = home.file("\(name).sqlite")
    }

    /// `hms-sync COMMAND ARGS… --replica PATH`, stdin from `stdin` (else /dev/null).
    @discardableResult
    func run(_ arguments: [String], stdin: String? = nil, environment extra: [String: String] = [:], timeout: TimeInterval = 120)
        async throws -> CLIResult
    {
        let child = try start(arguments, stdin: stdin, environment: extra)
        let exit = await child.waitForExit(timeout: timeout)
        if exit.timedOut { Issue.record("`hms-sync \(arguments.joined(separator: " "))` ran longer than \(timeout) s") }
        return CLIResult(arguments: arguments, status: exit.status, stdout: child.stdout, stderr: child.stderr)
    }

    /// Starts `hms-sync` without waiting (the crash test kills it).
    func start(_ arguments: [String], stdin: String? = nil, environment extra: [String: String] = [:]) throws -> ChildProcess {
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = folder
        environment["HMS_REPLICA"] = nil
        environment["HMS_REPLICA_KEY"] = nil
        environment["XDG_DATA_HOME"] = nil  // the key store goes under HOME, the test's folder
        environment["HMS_SYNC_TIMEOUT"] = nil
        environment.merge(extra) { $1 }
        return try ChildProcess(
            executable: try Binaries.path(of: "hms-sync"), arguments: arguments + ["--replica", replica], environment: environment,
            stdin: stdin, logFolder: folder)
    }

    /// `login` with the password on stdin.
    @discardableResult
    func login(_ server: ServerProcess, _ account: Account, json: Bool = true) async throws -> CLIResult {
        try await run(["login", "--server", server.url, "--email", account.email] + (json ? ["--json"] : []),
                      stdin: account.password + "\n")
    }
}
