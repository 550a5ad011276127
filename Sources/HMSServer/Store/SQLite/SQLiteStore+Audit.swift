import Foundation
import GRDB
import HMSSyncCore

extension SQLiteStore {
    /// Appends rows in a transaction of their own (refusals and reads); the table refuses
    /// updates and deletes.
    func append(_ entries: [AuditEntry]) async throws {
        try await pool.write { db in
            for entry in entries { try Self.append(db, entry) }
        }
    }

    /// Appends one row inside the caller's transaction.
    static func append(_ db: Database, _ entry: AuditEntry) throws {
        try db.cachedStatement(sql: """
                INSERT INTO audit_log (id, at, actor_id, actor_role, action, entity, entity_id, patient_id, outcome, request_id, client_ip)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(
            arguments: [
                entry.id, entry.at.epochSeconds, entry.actorId, entry.actorRole, entry.action, entry.entity,
                entry.entityId, entry.patientId, entry.outcome, entry.requestId, entry.clientIp,
            ])
    }

    /// Audit rows newest first (by server time, then by the order they were written). The
    /// cursor is the last row's time and position (its `seq`).
    func auditEntries(_ filter: AuditFilter, after cursor: ListCursor?, limit: Int) async throws -> [(seq: Int64, entry: AuditEntry)] {
        try await pool.read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let from = filter.from { conditions.append("at >= ?"); arguments += [from.epochSeconds] }
            if let to = filter.to { conditions.append("at < ?"); arguments += [to.epochSeconds] }
            if let actorId = filter.actorId { conditions.append("actor_id = ?"); arguments += [actorId] }
            if let patientId = filter.patientId { conditions.append("patient_id = ?"); arguments += [patientId] }
            if let cursor {
                guard let seq = Int64(cursor.id) else { throw DomainError.validation(field: "cursor", "cursor is not one this server gave out") }
                conditions.append("(at, seq) < (?, ?)")
                arguments += [cursor.key, seq]
            }
            var sql = "SELECT * FROM audit_log"
            if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
            sql += " ORDER BY at DESC, seq DESC LIMIT ?"
            arguments += [limit]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                (row["seq"], AuditEntry(
                    id: row["id"], at: Date(epochSeconds: row["at"]), actorId: row["actor_id"], actorRole: row["actor_role"],
                    action: row["action"], entity: row["entity"], entityId: row["entity_id"], patientId: row["patient_id"],
                    outcome: row["outcome"], requestId: row["request_id"], clientIp: row["client_ip"]))
            }
        }
    }
}
