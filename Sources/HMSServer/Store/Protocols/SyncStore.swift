import Foundation
import HMSSyncCore

/// The sync protocol's push and pull (CONTRACT.md §6).
protocol SyncStore: Sendable {
    /// Checks the client's owner before anything else of a push or pull.
    func checkClientOwner(clientId: String, userId: String) async throws
    func push(clientId: String, actor: Actor, mutations: [Mutation], now: Date) async throws -> PushOutcome
    func pull(clientId: String, actor: Actor, cursorText: String?, limit: Int, now: Date) async throws -> OutgoingPullPage
    /// A stable id of this database, written once: pull cursors carry it.
    func databaseId() async throws -> String
}
