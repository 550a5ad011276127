import Foundation
import HMSSyncCore
import PostgresNIO

/// Push sequencing's rows. Every push holds its client's lock (`lockSyncClient`) before it reads
/// any of them, so these reads and writes need no row locks of their own.
extension PostgresTransaction: SyncRows {
    func syncClient(id: String) throws -> (userId: String, lastMutationId: Int)? {
        try query("SELECT user_id, last_mutation_id FROM sync_clients WHERE id = \(id)").first
            .map { try $0.decode((String, Int).self) }
    }

    func insertSyncClient(id: String, userId: String, now: Date) throws {
        try execute("INSERT INTO sync_clients (id, user_id, created_at) VALUES (\(id), \(userId), \(now.epochSeconds))")
    }

    func setLastMutationId(_ id: Int, clientId: String) throws {
        try execute("UPDATE sync_clients SET last_mutation_id = \(id) WHERE id = \(clientId)")
    }

    func storedResult(clientId: String, mutationId: Int) throws -> StoredMutationResult? {
        guard
            let row = try query(
                """
                SELECT digest, status, code, message, details FROM sync_mutations
                WHERE client_id = \(clientId) AND mutation_id = \(mutationId)
                """
            ).first
        else { return nil }
        let (digest, status, code, message, details) = try row.decode((String, String, String?, String?, String?).self)
        return StoredMutationResult(
            digest: digest,
            result: MutationResult(
                id: mutationId, status: MutationResult.Status(rawValue: status) ?? .rejected, code: code, message: message,
                details: StoredResultDetails.details(details)))
    }

    func insertResult(clientId: String, mutation: Mutation, digest: String, result: MutationResult, now: Date) throws {
        try execute(
            """
            INSERT INTO sync_mutations (client_id, mutation_id, digest, status, code, message, details, client_time, handled_at)
            VALUES (\(clientId), \(mutation.id), \(digest), \(result.status.rawValue), \(result.code), \(result.message),
                    \(StoredResultDetails.text(result.details)), \(mutation.clientTime?.epochSeconds), \(now.epochSeconds))
            """)
    }

    func deleteResults(clientId: String, through: Int) throws {
        try execute("DELETE FROM sync_mutations WHERE client_id = \(clientId) AND mutation_id <= \(through)")
    }
}
