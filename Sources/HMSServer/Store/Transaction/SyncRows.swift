import Foundation
import HMSSyncCore

/// A handled mutation's digest and result, kept so that a retry answers the same.
struct StoredMutationResult: Sendable {
    let digest: String
    let result: MutationResult
}

/// The push sequencing rows (`PushFlow`).
protocol SyncRows {
    /// Holds the sync client `id` (known or not yet) until the transaction ends; push sequencing
    /// takes it first, so one push at a time per client applies its mutation ids exactly once.
    /// A backend whose writers are serialized anyway holds nothing.
    func lockSyncClient(id: String) throws
    /// The client's owner and last handled mutation id, if the client is known.
    func syncClient(id: String) throws -> (userId: String, lastMutationId: Int)?
    func insertSyncClient(id: String, userId: String, now: Date) throws
    func setLastMutationId(_ id: Int, clientId: String) throws
    func storedResult(clientId: String, mutationId: Int) throws -> StoredMutationResult?
    func insertResult(clientId: String, mutation: Mutation, digest: String, result: MutationResult, now: Date) throws
    /// Drops the client's stored results with ids up to `through`.
    func deleteResults(clientId: String, through: Int) throws
}
