import ArgumentParser
import Foundation
import HMSSyncCore

/// `--replica PATH` and `--json`, taken by every command after its name.
struct CommonOptions: ParsableArguments {
    @Option(help: "The replica file (default: $HMS_REPLICA or ~/.hms-sync/replica.sqlite).")
    var replica: String?

    @Flag(help: "Print exactly one JSON document on stdout.")
    var json = false

    var replicaPath: String {
        if let replica { return replica }
        if let fromEnvironment = ProcessInfo.processInfo.environment["HMS_REPLICA"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return (NSHomeDirectory() as NSString).appendingPathComponent(".hms-sync/replica.sqlite")
    }

    func openReplica() throws -> Replica {
        do {
            return try Replica(path: replicaPath)
        } catch {
            throw CLIFailure.usage("cannot open the replica at \(replicaPath)")
        }
    }
}
