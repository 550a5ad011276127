import Foundation
import GRDB
import HMSSyncCore

extension SQLiteTransaction {
    func syncClient(id: String) throws -> (userId: String, lastMutationId: Int)? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT user_id, last_mutation_id FROM sync_clients WHERE id = ?"), arguments: [id]
        ).map { ($0["user_id"], $0["last_mutation_id"]) }
    }

    func insertSyncClient(id: String, userId: String, now: Date) throws {
        try db.execute(
            sql: "INSERT INTO sync_clients (id, user_id, created_at) VALUES (?, ?, ?)",
            arguments: [id, userId, now.epochSeconds])
    }

    func setLastMutationId(_ id: Int, clientId: String) throws {
        try db.cachedStatement(sql: "UPDATE sync_clients SET last_mutation_id = ? WHERE id = ?").execute(arguments: [id, clientId])
    }

    func storedResult(clientId: String, mutationId: Int) throws -> StoredMutationResult? {
        guard let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM sync_mutations WHERE client_id = ? AND mutation_id = ?"),
            arguments: [clientId, mutationId])
        else { return nil }
        let status = MutationResult.Status(rawValue: row["status"]) ?? .rejected
        return StoredMutationResult(
            digest: row["digest"], result: MutationResult(
                id: mutationId, status: status, code: row["code"], message: row["message"],
                details: StoredResultDetails.details(row["details"])))
    }

    func insertResult(clientId: String, mutation: Mutation, digest: String, result: MutationResult, now: Date) throws {
        try db.cachedStatement(sql: """
                INSERT INTO sync_mutations (client_id, mutation_id, digest, status, code, message, details, client_time, handled_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(
            arguments: [clientId, mutation.id, digest, result.status.rawValue, result.code, result.message,
                        StoredResultDetails.text(result.details), mutation.clientTime?.epochSeconds, now.epochSeconds])
    }

    func deleteResults(clientId: String, through: Int) throws {
        try db.cachedStatement(sql: "DELETE FROM sync_mutations WHERE client_id = ? AND mutation_id <= ?")
            .execute(arguments: [clientId, through])
    }
}
