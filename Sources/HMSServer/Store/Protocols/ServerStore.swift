/// The central store as the controllers, middleware and jobs use it. Two backends conform:
/// `SQLiteStore` (GRDB, embedded, the default) and `PostgresStore` (postgres-nio, shared by
/// several servers). The intents, push sequencing and jobs are written once
/// (`TransactionalStore`, `Store/Flows/`); each backend supplies its queries.
protocol ServerStore: AccountStore, SchedulingStore, SyncStore, JobStore, AuditStore {
    /// Whether the database answers a query (for `/readyz`).
    func isReachable() async -> Bool
    /// Stops the backend's connections (at server stop).
    func close() async
}
