import Foundation
import HMSTestSupport

// hms-bench: prints figures for the sync goals (never asserts). See BENCHMARKS.md.
//   swift build -c release --product hms-server && swift build -c release --product hms-bench
//   .build/release/hms-bench [--quick] [--only push|clinic|scale|cli] [--bound-triggers] [--postgres URL] [--flask-peer] [--server PATH]
//                            [--folder PATH] [--keep]
// --postgres names a PostgreSQL server whose role may CREATE DATABASE (scripts/start-postgres.sh
// prints one); each PostgreSQL run gets a fresh database there, dropped afterwards.
let arguments = CommandLine.arguments.dropFirst()
func option(_ name: String) -> String? {
    arguments.firstIndex(of: name).flatMap { arguments.index(after: $0) < arguments.endIndex ? arguments[arguments.index(after: $0)] : nil }
}
let quick = arguments.contains("--quick")
let executableFolder = (CommandLine.arguments[0] as NSString).deletingLastPathComponent
let serverBinary = option("--server") ?? (executableFolder as NSString).appendingPathComponent("hms-server")
guard FileManager.default.isExecutableFile(atPath: serverBinary) else {
    FileHandle.standardError.write(Data("hms-bench: no hms-server at \(serverBinary); build it with `swift build -c release --product hms-server` or pass --server PATH\n".utf8))
    exit(2)
}
let folder = option("--folder") ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("hms-bench-\(UUID().uuidString.prefix(8))")
try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)

Report.line("# hms-bench \(quick ? "(quick)" : "")")
Report.line("  machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory / 1_000_000_000) GB; server: \(serverBinary); data: \(folder)")
let started = Date()
do {
    let only = option("--only")  // push | clinic | scale | cli: one part alone, e.g. under a profiler
    let postgres = option("--postgres")
    if only == nil || only == "push" {
        try await PushBench.run(
            serverBinary: serverBinary, folder: folder, pushes: quick ? 4 : 10, boundTriggers: arguments.contains("--bound-triggers"))
        if let postgres {
            try await BenchDatabase.withPostgres(on: postgres) { url in
                try await PushBench.run(serverBinary: serverBinary, folder: folder, pushes: quick ? 4 : 10, boundTriggers: false, postgresURL: url)
            }
        }
    }
    if only == nil || only == "clinic" { try await ClinicBench.run(
        serverBinary: serverBinary, folder: folder, small: 10_000, synced: quick ? 20_000 : 100_000,
        large: quick ? 200_000 : 1_000_000, pulls: quick ? 50 : 200) }
    if only == nil || only == "scale" {
        let bookings = quick ? 1_000 : 4_000
        Report.section("5. REST booking throughput: POST /v1/appointments, \(ScaleOutBench.clients) concurrent clients")
        let hms = try await ScaleOutBench.run(
            label: "SQLite, 1 server", servers: [try BenchServer.make(executable: serverBinary, folder: folder, name: "scale")],
            bookings: bookings, floors: true)
        if arguments.contains("--flask-peer") {
            // the checkout this bench was built from (`.build/release` is a symlink, so its `../..` is not)
            let peer = try await FlaskPeer(packageRoot: Binaries.packageRoot.path, folder: folder)
            let flask = try await ScaleOutBench.measure(label: "Flask peer (gunicorn, SQLite)", urls: [peer.url], bookings: bookings)
            peer.stop()
            Report.figure("HMS / Flask peer", String(format: "×%.1f", hms / flask))
        } else {
            Report.note("no --flask-peer: the Flask peer is skipped (Benchmarks/flask-peer/setup.sh, then --flask-peer)")
        }
        if let postgres {
            for count in [1, 2] {
                try await BenchDatabase.withPostgres(on: postgres) { url in
                    let servers = try (0..<count).map { try BenchServer.make(executable: serverBinary, folder: folder, name: "scale-pg\($0)", postgresURL: url) }
                    _ = try await ScaleOutBench.run(label: "PostgreSQL, \(count) server\(count == 1 ? "" : "s")", servers: servers, bookings: bookings)
                }
            }
        } else {
            Report.note("no --postgres URL: the PostgreSQL runs are skipped")
        }
    }
    if only == nil || only == "cli" {
        try await CLIBench.run(
            serverBinary: serverBinary, cli: (executableFolder as NSString).appendingPathComponent("hms-sync"), folder: folder)
    }
} catch {
    FileHandle.standardError.write(Data("hms-bench: \(error)\n".utf8))
    exit(1)
}
Report.line("\n  total bench time: \(String(format: "%.0f", Date().timeIntervalSince(started))) s")
if !arguments.contains("--keep") { try? FileManager.default.removeItem(atPath: folder) }
