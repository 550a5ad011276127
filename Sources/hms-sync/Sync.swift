import ArgumentParser
import Foundation
import HMSSyncCore

struct Sync: CLICommand {
    static let configuration = CommandConfiguration(
        abstract: "Push pending intents, then pull the server's changes to the end.",
        discussion: """
            Without --watch, gives up (exit 3, nothing lost) when the server has not answered for 30 seconds, \
            or for HMS_SYNC_TIMEOUT seconds when that environment variable is set (1...3600).
            """)
    @OptionGroup var common: CommonOptions
    @Flag(help: "Keep syncing every --interval seconds until stopped (one JSON line per sync with --json).")
    var watch = false
    @Option(help: "Seconds between syncs with --watch") var interval: Int = 30

    func execute() async throws {
        guard interval > 0 else { throw CLIFailure.usage("--interval must be at least 1") }
        let replica = try common.openReplica()
        _ = try requireSession(replica)
        let engine = try makeEngine(replica, quiet: common.json)
        repeat {
            do {
                report(try await engine.sync())
            } catch ReplicaError.unreachable(let why) where watch {
                Output.message("hms-sync: \(why); retrying in \(interval) s")
            } catch let error as ReplicaError {
                throw CLIFailure.replica(error)
            }
            if watch { try await Task.sleep(nanoseconds: UInt64(interval) * 1_000_000_000) }
        } while watch
    }

    private func report(_ report: SyncReport) {
        if report.recovered > 0 {
            // one line, also under --json (on stderr), when a restored server's lost work is sent again
            Output.message("the server had lost \(report.recovered) applied intents (restored from a backup?); they were sent again")
        }
        if !report.repaired.isEmpty {
            // the same for a replica that had drifted from the server (CONTRACT.md §9.6)
            Output.message("the replica had drifted from the server (\(report.repaired.joined(separator: ", ")) rows); repaired")
        }
        if !report.unrepaired.isEmpty {
            Output.message("the replica still differs from the server (\(report.unrepaired.joined(separator: ", ")) rows) after a full repair")
        }
        if common.json { return Output.json(report) }
        Output.message("pushed \(report.pushed) (applied \(report.applied), rejected \(report.rejected)), pulled \(report.pulled), pending \(report.pending)")
        if report.rejected > 0 { Output.message("see `hms-sync rejections` for why") }
    }
}
