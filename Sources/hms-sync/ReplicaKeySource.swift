import Foundation
import HMSSyncCore

/// Where the CLI gets a replica's key: `HMS_REPLICA_KEY` when set (64 hex digits or the base64
/// of 32 bytes, e.g. from an OS secret store), else the per-user `KeyStore`.
struct ReplicaKeySource {
    let environmentKey: String?
    let store: KeyStore

    init(environment: [String: String]) {
        environmentKey = environment["HMS_REPLICA_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        store = KeyStore(environment: environment)
    }

    func key(for request: ReplicaKeyRequest) throws -> ReplicaKey {
        guard let environmentKey else { return try store.key(for: request) }
        do {
            return try ReplicaKey(text: environmentKey)
        } catch {
            throw CLIFailure.usage("HMS_REPLICA_KEY must be 64 hexadecimal digits or the base64 of 32 bytes")
        }
    }

    /// A key error as the CLI says it: which key failed for which replica, never the key.
    func failure(_ error: ReplicaKeyError, replicaPath: String) -> CLIFailure {
        switch error {
        case .wrongKey where environmentKey != nil:
            .usage("HMS_REPLICA_KEY does not open the replica at \(replicaPath): it was sealed with another key")
        case .wrongKey:
            .usage("the key in \(store.folder) does not open the replica at \(replicaPath): it was sealed with another key; "
                + "give its key in HMS_REPLICA_KEY")
        case .malformedKey, .damaged:
            .usage("\(error.description) (replica \(replicaPath))")
        }
    }
}
