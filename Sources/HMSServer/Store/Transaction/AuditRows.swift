/// The append-only audit log, written inside the transaction of the write it records.
protocol AuditRows {
    func appendAudit(_ entry: AuditEntry) throws
}
