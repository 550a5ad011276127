import Foundation
import HMSSyncCore
import PostgresNIO

extension PostgresStore {
    /// Appends rows in a transaction of their own (refusals and reads), with no request row of
    /// its own; the table refuses updates, deletes and truncation.
    func append(_ entries: [AuditEntry]) async throws {
        guard !entries.isEmpty else { return }
        try await transaction { tx in
            for entry in entries { try tx.appendAudit(entry) }
        }
    }

    /// Audit rows newest first (by server time, then by the order they were written). The
    /// cursor is the last row's time and position (its `seq`). `seq` is drawn at insert, so two
    /// rows written at once by different servers may commit out of `seq` order; keyset paging
    /// stays stable either way (no row repeats, none of those present vanishes).
    func auditEntries(_ filter: AuditFilter, after cursor: ListCursor?, limit: Int) async throws
        -> [(seq: Int64, entry: AuditEntry)]
    {
        let position = try cursor?.timePosition()
        for id in [filter.actorId, filter.patientId] {
            if let id, !PostgresText.canHold(id) { return [] }
        }
        // a cursor whose key bounds no time (see `timePosition`) lets every row through
        let before: (time: Int64, seq: Int64)? = position.flatMap { position in position.time.map { ($0, position.seq) } }
        return try await read { tx in
            try tx.query(
                """
                SELECT seq, id, at, actor_id, actor_role, action, entity, entity_id, patient_id, outcome, request_id,
                       client_ip
                FROM audit_log
                WHERE (\(filter.from?.epochSeconds)::bigint IS NULL OR at >= \(filter.from?.epochSeconds))
                  AND (\(filter.to?.epochSeconds)::bigint IS NULL OR at < \(filter.to?.epochSeconds))
                  AND (\(filter.actorId)::text IS NULL OR actor_id = \(filter.actorId))
                  AND (\(filter.patientId)::text IS NULL OR patient_id = \(filter.patientId))
                  AND (\(before?.time)::bigint IS NULL OR (at, seq) < (\(before?.time), \(before?.seq)))
                ORDER BY at DESC, seq DESC
                LIMIT \(limit)
                """
            ).map { row in
                let (seq, id, at, actorId, actorRole, action, entity, entityId, patientId, outcome, requestId, clientIp) =
                    try row.decode(
                        (Int64, String, Int64, String?, String?, String, String, String?, String?, String, String, String)
                            .self)
                return (
                    seq,
                    AuditEntry(
                        id: id, at: Date(epochSeconds: at), actorId: actorId, actorRole: actorRole, action: action,
                        entity: entity, entityId: entityId, patientId: patientId, outcome: outcome, requestId: requestId,
                        clientIp: clientIp)
                )
            }
        }
    }
}
