import PostgresNIO

extension PostgresTransaction: AuditRows {
    /// Appends one row inside this transaction; the table refuses updates, deletes and truncation.
    func appendAudit(_ entry: AuditEntry) throws {
        try execute(
            """
            INSERT INTO audit_log (id, at, actor_id, actor_role, action, entity, entity_id, patient_id, outcome, request_id, client_ip)
            VALUES (\(entry.id), \(entry.at.epochSeconds), \(entry.actorId), \(entry.actorRole), \(entry.action),
                    \(entry.entity), \(entry.entityId), \(entry.patientId), \(entry.outcome), \(entry.requestId), \(entry.clientIp))
            """)
    }
}
