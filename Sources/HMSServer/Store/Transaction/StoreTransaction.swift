/// One write transaction of a backend, as the flows written once use it (`IntentFlow`, `RefreshFlow`,
/// `PushFlow`, `NoShowFlow`, `BusyFlow`): the backend supplies facts and writes, the flows the
/// order, and HMSSyncCore the rules. Synchronous, because GRDB's transactions are; the
/// PostgreSQL backend runs it on a thread of its own pool, never on a Swift concurrency thread.
typealias StoreTransaction = AppointmentRows & ChangeRows & BusyRows & SyncRows & NoShowRows & AuditRows & RefreshTokenRows
    & SavepointScope

/// A part of a transaction that rolls back alone (one pushed mutation).
protocol SavepointScope {
    /// Runs `body` in a savepoint: kept when it returns, rolled back (and the error rethrown) when it throws.
    func inSavepoint(_ body: () throws -> Void) throws
}
