import Foundation
import GRDB

/// The replica's encryption at rest, on open: the key check, sealing what a replica written
/// before encryption kept in clear, and scrubbing that plaintext from free pages and the WAL.
enum ReplicaSealing {
    private static let keyCheckText = "hms-sync replica key check"

    /// Migrates the replica, asks `keyFor` for its key, and checks that the key opens it.
    /// - Throws: `ReplicaKeyError.wrongKey` when the replica was sealed with another key.
    static func unlock(_ queue: DatabaseQueue, keyFor: (ReplicaKeyRequest) throws -> ReplicaKey) throws -> ReplicaCipher {
        try ReplicaSchema.keyless.migrate(queue)
        let request = try queue.read { db in
            ReplicaKeyRequest(
                replicaId: try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'replicaId'") ?? "",
                isSealed: try Bool.fetchOne(db, sql: "SELECT count(*) > 0 FROM meta WHERE key = 'keyCheck'") ?? false)
        }
        let cipher = ReplicaCipher(key: try keyFor(request))
        try ReplicaSchema.migrator(sealingWith: cipher).migrate(queue)
        let needsScrub = try queue.read { db in
            guard let check = try Data.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'keyCheck'"),
                (try? cipher.openText(check, at: .keyCheck)) == keyCheckText
            else { throw ReplicaKeyError.wrongKey }
            return try Bool.fetchOne(db, sql: "SELECT count(*) > 0 FROM meta WHERE key = 'scrubPending'") ?? false
        }
        if needsScrub { scrub(queue) }
        return cipher
    }

    /// Migration `v3-sealed-values`: seals, in place, every private value an older version
    /// wrote in clear (none in a new replica), and stores the key check. One transaction.
    static func sealInPlace(_ db: Database, _ cipher: ReplicaCipher) throws {
        let rows = try Row.fetchAll(db, sql: "SELECT entity, id, json FROM server_rows")
        let putRow = try db.makeStatement(sql: "UPDATE server_rows SET json = ? WHERE entity = ? AND id = ?")
        for row in rows {
            let entity: String = row["entity"], id: String = row["id"], json: String = row["json"]
            try putRow.execute(arguments: [try cipher.seal(json, at: .serverRow(entity: entity, id: id)), entity, id])
        }
        for key in [StateKey.user, .accessToken, .refreshToken] {
            if let value = try String.fetchOne(db, sql: "SELECT value FROM state WHERE key = ?", arguments: [key.rawValue]) {
                try db.setState(key, sealing: value, cipher)
            }
        }
        for row in try Row.fetchAll(db, sql: "SELECT seq, args FROM intents") {
            let seq: Int64 = row["seq"], args: String = row["args"]
            try db.execute(
                sql: "UPDATE intents SET args = ? WHERE seq = ?", arguments: [try cipher.seal(args, at: .intentArgs(seq: seq)), seq])
        }
        for row in try Row.fetchAll(db, sql: "SELECT client_id, mutation_id, args, message FROM rejections") {
            let clientId: String = row["client_id"], mutationId: Int = row["mutation_id"]
            let args: String = row["args"], message: String = row["message"]
            try db.execute(
                sql: "UPDATE rejections SET args = ?, message = ? WHERE client_id = ? AND mutation_id = ?",
                arguments: [
                    try cipher.seal(args, at: .rejection(.args, clientId: clientId, mutationId: mutationId)),
                    try cipher.seal(message, at: .rejection(.message, clientId: clientId, mutationId: mutationId)),
                    clientId, mutationId,
                ])
        }
        try db.execute(
            sql: "INSERT INTO meta (key, value) VALUES ('keyCheck', ?), ('scrubPending', 1)",
            arguments: [try cipher.seal(keyCheckText, at: .keyCheck)])
    }

    /// Writes the checkpointed file without the plaintext an older version left in free pages
    /// and the WAL (`secure_delete` zeroes what is deleted from now on). Best effort: when
    /// another process keeps it from finishing, `scrubPending` stays and the next open retries.
    private static func scrub(_ queue: DatabaseQueue) {
        try? queue.writeWithoutTransaction { db in
            try db.checkpoint(.truncate)
            try db.execute(sql: "VACUUM")
            try db.execute(sql: "DELETE FROM meta WHERE key = 'scrubPending'")
            try db.checkpoint(.truncate)
        }
    }
}
