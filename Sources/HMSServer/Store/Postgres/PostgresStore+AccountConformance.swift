// PostgresStore answers the account and audit parts of `ServerStore`; this declaration lets
// the compiler check it until the whole `ServerStore` conformance is declared in one place.
extension PostgresStore: AccountStore, AuditStore {}
