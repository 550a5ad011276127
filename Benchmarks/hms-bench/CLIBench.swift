import Foundation
import HMSSyncCore
import HMSTestSupport

/// (6) CLI start-up: the release `hms-sync` as a user runs it, one process per command, on a
/// signed-in patient's replica with the server stopped: `whoami` (open, unlock, read) beside an
/// offline `book` (the same, plus the local rules and one recorded intent).
enum CLIBench {
    static let samples = 40

    static func run(serverBinary: String, cli: String, folder: String) async throws {
        guard FileManager.default.isExecutableFile(atPath: cli) else {
            Report.note("no hms-sync at \(cli) (swift build -c release --product hms-sync): the CLI figures are skipped")
            return
        }
        Report.section("6. CLI start-up: hms-sync whoami and an offline book, one process each")
        let server = try BenchServer.make(executable: serverBinary, folder: folder, name: "cli")
        try await server.start()
        let admin = try await server.login(TestAccounts.adminEmail)
        let clinic = try await BenchClinic.make(server.api, admin: admin, doctors: 1, patients: 1, prefix: "cli")
        var environment = ProcessInfo.processInfo.environment
        environment["HMS_REPLICA"] = (folder as NSString).appendingPathComponent("cli-replica.sqlite")
        environment["HMS_REPLICA_KEY"] = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        _ = try runCLI(cli, ["login", "--server", server.url, "--email", "clipatient0@bench.test", "--password", "bench-password"], environment)
        _ = try runCLI(cli, ["sync"], environment)
        await server.stop()

        for _ in 0..<3 { _ = try runCLI(cli, ["whoami"], environment) }
        let whoami = try (0..<samples).map { _ in try runCLI(cli, ["whoami"], environment) }
        let book = try (0..<samples).map { k in
            try runCLI(cli, ["book", "--doctor", clinic.doctorIds[0], "--start", RFC3339.format(clinic.booking(k).start)], environment)
        }
        Report.figure("whoami, p50 / p95 of \(samples)", "\(Measure.ms(Measure.median(whoami))) / \(Measure.ms(Measure.percentile(whoami, 95)))")
        Report.figure("offline book, 0–\(samples - 1) pending, p50 / p95",
                      "\(Measure.ms(Measure.median(book))) / \(Measure.ms(Measure.percentile(book, 95)))")
        Report.figure("book over whoami (p50)", String(format: "%+.1f ms", (Measure.median(book) - Measure.median(whoami)) * 1000))
    }

    /// Seconds one run of `hms-sync arguments` took; it must exit 0.
    private static func runCLI(_ cli: String, _ arguments: [String], _ environment: [String: String]) throws -> Double {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: cli)
        process.arguments = arguments
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let (seconds, _) = try Measure.time {
            try process.run()
            process.waitUntilExit()
        }
        guard process.terminationStatus == 0 else { throw BenchError("hms-sync \(arguments[0]) exited \(process.terminationStatus)") }
        return seconds
    }
}
