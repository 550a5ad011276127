import Foundation
import GRDB
import HMSSyncCore


extension SQLiteStore {
    /// Accounts by name, optionally of one role and matching `query` in the name or email
    /// (a substring, ASCII case-insensitive: SQLite's LIKE, its wildcards escaped).
    func accounts(role: Role?, matching query: String?, after cursor: ListCursor?, limit: Int) async throws
        -> [AccountSummary]
    {
        try await pool.read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let role { conditions.append("role = ?"); arguments += [role.rawValue] }
            if let query {
                let pattern = "%" + Self.escapedForLike(query) + "%"
                conditions.append(#"(name LIKE ? ESCAPE '\' OR email LIKE ? ESCAPE '\')"#)
                arguments += [pattern, pattern]
            }
            if let cursor { conditions.append("(name, id) > (?, ?)"); arguments += [cursor.key, cursor.id] }
            var sql = "SELECT * FROM users"
            if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
            sql += " ORDER BY name, id LIMIT ?"
            arguments += [limit]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { UserRecord(row: $0).summary }
        }
    }

    /// Disables or enables an account; idempotent. Disabling revokes every token family of the
    /// user in the same transaction, so enabling later never brings an old token back.
    func setDisabled(userId: String, _ disabled: Bool, now: Date) async throws -> UserRecord {
        try await write { db in
            guard let user = try Self.user(db, id: userId) else { throw DomainError.notFound("user") }
            guard user.disabled != disabled else { return user }
            if disabled {
                try db.execute(sql: "UPDATE users SET disabled_at = ? WHERE id = ?", arguments: [now.epochSeconds, userId])
                try Self.revokeFamilies(db, userId: userId, except: nil, now: now)
            } else {
                try db.execute(sql: "UPDATE users SET disabled_at = NULL WHERE id = ?", arguments: [userId])
            }
            return try Self.user(db, id: userId)!
        }
    }

    /// Stores a new password hash and revokes every token family of the user but `keptFamily`
    /// (the caller's own session), in one transaction.
    func changePassword(userId: String, passwordHash: String, keeping keptFamily: String, now: Date) async throws {
        try await write { db in
            try db.execute(sql: "UPDATE users SET password_hash = ? WHERE id = ?", arguments: [passwordHash, userId])
            try Self.revokeFamilies(db, userId: userId, except: keptFamily, now: now)
        }
    }

    /// Revokes the user's live token families, all of them or all but one.
    static func revokeFamilies(_ db: Database, userId: String, except keptFamily: String?, now: Date) throws {
        try db.execute(
            sql: "UPDATE token_families SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL AND id IS NOT ?",
            arguments: [now.epochSeconds, userId, keptFamily])
    }

    /// `text` with LIKE's wildcards and the escape character itself taken literally.
    static func escapedForLike(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "\\" || character == "%" || character == "_" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}
