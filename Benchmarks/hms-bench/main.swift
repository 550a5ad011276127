import Foundation

// hms-bench: prints figures for the sync goals (never asserts). See BENCHMARKS.md.
//   swift build -c release --product hms-server && swift build -c release --product hms-bench
//   .build/release/hms-bench [--quick] [--only push|clinic] [--bound-triggers] [--server PATH] [--folder PATH] [--keep]
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
    let only = option("--only")  // push | clinic: one part alone, e.g. under a profiler
    if only == nil || only == "push" { try await PushBench.run(
        serverBinary: serverBinary, folder: folder, pushes: quick ? 4 : 10, boundTriggers: arguments.contains("--bound-triggers"))  }
    if only == nil || only == "clinic" { try await ClinicBench.run(
        serverBinary: serverBinary, folder: folder, small: 10_000, synced: quick ? 20_000 : 100_000,
        large: quick ? 200_000 : 1_000_000, pulls: quick ? 50 : 200) }
} catch {
    FileHandle.standardError.write(Data("hms-bench: \(error)\n".utf8))
    exit(1)
}
Report.line("\n  total bench time: \(String(format: "%.0f", Date().timeIntervalSince(started))) s")
if !arguments.contains("--keep") { try? FileManager.default.removeItem(atPath: folder) }
