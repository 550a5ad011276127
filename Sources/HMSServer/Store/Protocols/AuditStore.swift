import Foundation

/// The append-only audit log.
protocol AuditStore: Sendable {
    /// Appends rows in a transaction of their own (refusals and reads).
    func append(_ entries: [AuditEntry]) async throws
    /// Audit rows newest first (by server time, then by the order they were written).
    func auditEntries(_ filter: AuditFilter, after cursor: ListCursor?, limit: Int) async throws -> [(seq: Int64, entry: AuditEntry)]
}
