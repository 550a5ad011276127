import GRDB
import HMSSyncCore

extension UserRecord {
    /// A `users` row as SQLite keeps it.
    init(row: Row) {
        id = row["id"]
        name = row["name"]
        email = row["email"]
        role = Role(rawValue: row["role"]) ?? .patient
        passwordHash = row["password_hash"]
        specialty = row["specialty"]
        blacklisted = row["blacklisted"]
        tokensRevokedAt = row["tokens_revoked_at"]
        disabled = (row["disabled_at"] as Int64?) != nil
    }
}
