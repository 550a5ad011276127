// The scheduling, sync and job parts of the store on PostgreSQL; `ServerStore` is declared once
// the account and audit parts are in.
extension PostgresStore: SchedulingStore, SyncStore, JobStore {}
