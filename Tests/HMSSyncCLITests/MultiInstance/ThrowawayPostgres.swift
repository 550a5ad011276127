import Foundation
import HMSTestSupport

/// A PostgreSQL server of a test's own (scripts/start-postgres.sh), which the test may stop and
/// start again; nil when this machine can't run one (not root, no PostgreSQL 15) outside CI.
final class ThrowawayPostgres: Sendable {
    let url: String
    let folder: String
    let port: String
    private static let bin = "/usr/lib/postgresql/15/bin"

    static func start() async throws -> ThrowawayPostgres? {
        let usable = getuid() == 0 && FileManager.default.isExecutableFile(atPath: bin + "/pg_ctl")
        if !usable {
            if let ci = ProcessInfo.processInfo.environment["CI"], !ci.isEmpty {
                throw TestFailure("CI must run the database-outage test: it needs root and PostgreSQL 15 in \(bin)")
            }
            print("PostgreSQL outage test skipped: it needs root and PostgreSQL 15 in \(bin)")
            return nil
        }
        let logFolder = try TempFolder("pg-script")
        let logs = logFolder.path
        defer { withExtendedLifetime(logFolder) {} }
        let script = Binaries.packageRoot.appendingPathComponent("scripts/start-postgres.sh").path
        var environment = ProcessInfo.processInfo.environment
        environment["HMS_PG_PORT"] = nil
        let child = try ChildProcess(executable: "/bin/bash", arguments: [script], environment: environment, logFolder: logs)
        let exit = await child.waitForExit(timeout: 60)
        guard exit.status == 0, exit.reason == .exit else { throw TestFailure("start-postgres.sh failed: \(child.stderr)") }
        var values: [String: String] = [:]
        for line in child.stdout.split(separator: "\n") where line.hasPrefix("export ") {
            let pair = line.dropFirst("export ".count).split(separator: "=", maxSplits: 1)
            if pair.count == 2 { values[String(pair[0])] = String(pair[1]) }
        }
        guard let url = values["HMS_TEST_POSTGRES_URL"], let folder = values["HMS_PG_DIR"],
            let port = URLComponents(string: url)?.port
        else { throw TestFailure("start-postgres.sh printed no URL") }
        return ThrowawayPostgres(url: url, folder: folder, port: String(port))
    }

    private init(url: String, folder: String, port: String) {
        self.url = url
        self.folder = folder
        self.port = port
    }

    /// `pg_ctl stop -m fast`: open connections are cut, as when the database host goes down.
    func stopServer() async throws {
        try await pgctl(["-D", folder + "/data", "-m", "fast", "-w", "stop"])
    }

    func startServer() async throws {
        try await pgctl([
            "-D", folder + "/data", "-l", folder + "/log", "-w",
            "-o", "-c listen_addresses=127.0.0.1 -p \(port) -k \(folder)", "start",
        ])
    }

    /// Stops the server and removes its folder.
    func remove() async {
        let script = Binaries.packageRoot.appendingPathComponent("scripts/start-postgres.sh").path
        guard let logFolder = try? TempFolder("pg-script") else { return }
        let logs = logFolder.path
        defer { withExtendedLifetime(logFolder) {} }
        if let child = try? ChildProcess(
            executable: "/bin/bash", arguments: [script, "stop", folder], environment: ProcessInfo.processInfo.environment,
            logFolder: logs)
        {
            _ = await child.waitForExit(timeout: 60)
        }
    }

    private func pgctl(_ arguments: [String]) async throws {
        let logFolder = try TempFolder("pg-ctl")
        let logs = logFolder.path
        defer { withExtendedLifetime(logFolder) {} }
        let child = try ChildProcess(
            executable: "/usr/sbin/runuser", arguments: ["-u", "postgres", "--", Self.bin + "/pg_ctl"] + arguments,
            environment: ProcessInfo.processInfo.environment, logFolder: logs)
        let exit = await child.waitForExit(timeout: 60)
        guard exit.status == 0, exit.reason == .exit else { throw TestFailure("pg_ctl \(arguments.last ?? "") failed: \(child.stderr)") }
    }
}
