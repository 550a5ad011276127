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

    /// Opens the replica with its key (`ReplicaKeySource`); key problems exit 2 with what to fix.
    func openReplica() throws -> Replica {
        let keys = ReplicaKeySource(environment: ProcessInfo.processInfo.environment)
        do {
            return try Replica(path: replicaPath, keyFor: keys.key(for:))
        } catch let failure as CLIFailure {
            throw failure
        } catch let error as ReplicaKeyError {
            throw keys.failure(error, replicaPath: replicaPath)
        } catch {
            throw CLIFailure.usage("cannot open the replica at \(replicaPath)")
        }
    }
}
