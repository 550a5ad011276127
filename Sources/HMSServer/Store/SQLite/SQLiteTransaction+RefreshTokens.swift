import GRDB

extension SQLiteTransaction {
    /// SQLite runs one writer at a time, so the rows read here stay as read until the commit.
    func lockedRefreshToken(hash: String) throws -> LockedRefreshToken? {
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT f.id AS family_id, f.user_id, f.created_at AS started_at, f.revoked_at,
                           t.expires_at, t.rotated_at, t.revoked_at AS replaced_at
                    FROM refresh_tokens t JOIN token_families f ON f.id = t.family_id
                    WHERE t.hash = ?
                    """,
                arguments: [hash])
        else { return nil }
        return LockedRefreshToken(
            familyId: row["family_id"], userId: row["user_id"], startedAt: row["started_at"],
            familyRevokedAt: row["revoked_at"], expiresAt: row["expires_at"], rotatedAt: row["rotated_at"],
            replacedAt: row["replaced_at"])
    }

    /// SQLite runs one writer at a time: no account change can commit before this transaction does.
    func lockedStanding(id: String) throws -> UserRecord? {
        try user(id: id)
    }

    func insertFamily(id: String, userId: String, at: Int64) throws {
        try db.execute(
            sql: "INSERT INTO token_families (id, user_id, created_at) VALUES (?, ?, ?)", arguments: [id, userId, at])
    }

    func insertRefreshToken(hash: String, familyId: String, expiresAt: Int64, at: Int64) throws {
        try db.execute(
            sql: "INSERT INTO refresh_tokens (hash, family_id, expires_at, created_at) VALUES (?, ?, ?, ?)",
            arguments: [hash, familyId, expiresAt, at])
    }

    func markRotated(hash: String, at: Int64) throws {
        try db.execute(sql: "UPDATE refresh_tokens SET rotated_at = ? WHERE hash = ?", arguments: [at, hash])
    }

    func revokeFamily(id: String, at: Int64) throws {
        try db.execute(sql: "UPDATE token_families SET revoked_at = ? WHERE id = ?", arguments: [at, id])
    }

    func revokeUnspentTokens(familyId: String, at: Int64) throws {
        try db.execute(
            sql: """
                UPDATE refresh_tokens SET revoked_at = ?
                WHERE family_id = ? AND rotated_at IS NULL AND revoked_at IS NULL
                """,
            arguments: [at, familyId])
    }
}
