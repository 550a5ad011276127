import PostgresNIO

extension PostgresTransaction: RefreshTokenRows {
    /// Locks the family row and then the token row (`FOR UPDATE`, always in that order, so two
    /// refreshes never wait on each other crosswise). Every refresh of a family takes its family
    /// lock first, so concurrent refreshes of one family, on any server, run one after another.
    func lockedRefreshToken(hash: String) throws -> LockedRefreshToken? {
        // a token never moves to another family, so this unlocked read names the family to lock
        guard let familyId = try query("SELECT family_id FROM refresh_tokens WHERE hash = \(hash)").first?
            .decode(String.self)
        else { return nil }
        guard
            let family = try query(
                "SELECT user_id, created_at, revoked_at FROM token_families WHERE id = \(familyId) FOR UPDATE"
            ).first?.decode((String, Int64, Int64?).self),
            let token = try query(
                "SELECT expires_at, rotated_at, revoked_at FROM refresh_tokens WHERE hash = \(hash) FOR UPDATE"
            ).first?.decode((Int64, Int64?, Int64?).self)
        else { return nil }
        return LockedRefreshToken(
            familyId: familyId, userId: family.0, startedAt: family.1, familyRevokedAt: family.2,
            expiresAt: token.0, rotatedAt: token.1, replacedAt: token.2)
    }

    func insertFamily(id: String, userId: String, at: Int64) throws {
        try execute("INSERT INTO token_families (id, user_id, created_at) VALUES (\(id), \(userId), \(at))")
    }

    func insertRefreshToken(hash: String, familyId: String, expiresAt: Int64, at: Int64) throws {
        try execute(
            """
            INSERT INTO refresh_tokens (hash, family_id, expires_at, created_at)
            VALUES (\(hash), \(familyId), \(expiresAt), \(at))
            """)
    }

    func markRotated(hash: String, at: Int64) throws {
        try execute("UPDATE refresh_tokens SET rotated_at = \(at) WHERE hash = \(hash)")
    }

    func revokeFamily(id: String, at: Int64) throws {
        try execute("UPDATE token_families SET revoked_at = \(at) WHERE id = \(id)")
    }

    func revokeUnspentTokens(familyId: String, at: Int64) throws {
        try execute(
            """
            UPDATE refresh_tokens SET revoked_at = \(at)
            WHERE family_id = \(familyId) AND rotated_at IS NULL AND revoked_at IS NULL
            """)
    }
}
