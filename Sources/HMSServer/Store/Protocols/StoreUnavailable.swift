/// The database can't be reached or was lost mid-transaction. Answered `503 UNAVAILABLE`, never
/// a crash; the backend reconnects by itself when the database returns.
struct StoreUnavailable: Error, Sendable {}
