import HMSSyncCore
import PostgresNIO

extension UserRecord {
    /// The `users` columns ``init(postgresRow:)`` reads, in its order.
    static let postgresColumns = "id, name, email, role, password_hash, specialty, blacklisted, tokens_revoked_at, disabled_at"

    /// A `users` row selected with ``postgresColumns``.
    init(postgresRow row: PostgresRow) throws {
        let (id, name, email, role, passwordHash, specialty, blacklisted, tokensRevokedAt, disabledAt) = try row.decode(
            (String, String, String, String, String, String?, Bool, Int64?, Int64?).self)
        self.init(
            id: id, name: name, email: email, role: Role(rawValue: role) ?? .patient, passwordHash: passwordHash,
            specialty: specialty, blacklisted: blacklisted, tokensRevokedAt: tokensRevokedAt, disabled: disabledAt != nil)
    }
}

extension PostgresTransaction {
    /// The user with `id`, if there is one.
    func user(id: String) throws -> UserRecord? {
        try query("SELECT \(unescaped: UserRecord.postgresColumns) FROM users WHERE id = \(id)").first
            .map(UserRecord.init(postgresRow:))
    }
}
