import Foundation
import HMSSyncCore
import PostgresNIO

extension PostgresStore {
    /// Accounts by name (in byte order, as SQLite sorts), optionally of one role and matching
    /// `query` in the name or email. SQLite's backend asks `LIKE '%query%'` with the wildcards
    /// escaped: a substring test that folds the ASCII letters only. `strpos` over ASCII-folded
    /// text is that same test, with nothing to escape.
    func accounts(role: Role?, matching query: String?, after cursor: ListCursor?, limit: Int) async throws
        -> [AccountSummary]
    {
        if let query, !PostgresText.canHold(query) { return [] }
        let after = try cursor?.textPosition()
        return try await read { tx in
            try tx.query(
                """
                SELECT \(unescaped: UserRecord.postgresColumns) FROM users
                WHERE (\(role?.rawValue)::text IS NULL OR role = \(role?.rawValue))
                  AND (\(query)::text IS NULL
                       OR strpos(translate(name, \(unescaped: PostgresText.asciiLowercase)),
                                 translate(\(query), \(unescaped: PostgresText.asciiLowercase))) > 0
                       OR strpos(translate(email, \(unescaped: PostgresText.asciiLowercase)),
                                 translate(\(query), \(unescaped: PostgresText.asciiLowercase))) > 0)
                  AND (\(after?.key)::text IS NULL
                       OR (name COLLATE "C", id COLLATE "C") > (\(after?.key), \(after?.id)))
                ORDER BY name COLLATE "C", id COLLATE "C"
                LIMIT \(limit)
                """
            ).map { try UserRecord(postgresRow: $0).summary }
        }
    }

    /// Disables or enables an account; idempotent. Disabling revokes every token family of the
    /// user in the same transaction, so enabling later never brings an old token back.
    func setDisabled(userId: String, _ disabled: Bool, now: Date) async throws -> UserRecord {
        try await write { tx in
            // the row lock orders this against logins starting a family (see `lockedUser`)
            guard let user = try tx.lockedUser(id: userId) else { throw DomainError.notFound("user") }
            guard user.disabled != disabled else { return user }
            let disabledAt: Int64? = disabled ? now.epochSeconds : nil
            let updated = try tx.query(
                """
                UPDATE users SET disabled_at = \(disabledAt) WHERE id = \(userId)
                RETURNING \(unescaped: UserRecord.postgresColumns)
                """)
            if disabled { try tx.revokeFamilies(userId: userId, except: nil, now: now) }
            guard let row = updated.first else { throw DomainError.notFound("user") }
            return try UserRecord(postgresRow: row)
        }
    }

    /// Stores a new password hash and revokes every token family of the user but `keptFamily`
    /// (the caller's own session), in one transaction. The UPDATE locks the user's row, so a
    /// login starting a family meanwhile (`lockedStanding`) has committed before the revocation
    /// reads the families, or starts after this commits.
    func changePassword(userId: String, passwordHash: String, keeping keptFamily: String, now: Date) async throws {
        try await write { tx in
            try tx.execute("UPDATE users SET password_hash = \(passwordHash) WHERE id = \(userId)")
            try tx.revokeFamilies(userId: userId, except: keptFamily, now: now)
        }
    }
}
