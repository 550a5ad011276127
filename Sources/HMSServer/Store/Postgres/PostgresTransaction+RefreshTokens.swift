import PostgresNIO

/// A refresh token and its family as a refresh decides on them, both rows locked.
struct LockedRefreshToken {
    let familyId: String
    let userId: String
    /// The family's login (epoch seconds).
    let startedAt: Int64
    let familyRevokedAt: Int64?
    let expiresAt: Int64
    let rotatedAt: Int64?
    /// Set when a replay inside the grace window replaced this token before it was spent.
    let replacedAt: Int64?
}

extension PostgresTransaction {
    /// The refresh token `hash` and its family, locking the family row and then the token row
    /// (`FOR UPDATE`, always in that order, so two refreshes never wait on each other crosswise).
    /// Every refresh of a family takes its family lock first, so concurrent refreshes of one
    /// family, on any server, run one after another and each decides on what the previous one
    /// committed. Nil when the token is unknown.
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
}
