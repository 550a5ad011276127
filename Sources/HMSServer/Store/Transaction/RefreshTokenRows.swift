/// A refresh token and its family as a refresh decides on them (`RefreshFlow`).
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

/// The token family and refresh-token rows (`RefreshFlow`). Times are epoch seconds.
protocol RefreshTokenRows {
    /// The refresh token `hash` and its family. A backend whose writers run concurrently locks
    /// both rows, so refreshes of one family run one after another and each decides on what the
    /// previous one committed. Nil when the token is unknown.
    func lockedRefreshToken(hash: String) throws -> LockedRefreshToken?
    /// The user with `id`, whose standing no account change can alter before this transaction ends.
    func lockedStanding(id: String) throws -> UserRecord?
    func user(id: String) throws -> UserRecord?
    func insertFamily(id: String, userId: String, at: Int64) throws
    func insertRefreshToken(hash: String, familyId: String, expiresAt: Int64, at: Int64) throws
    /// Marks the token spent: rotated into a successor.
    func markRotated(hash: String, at: Int64) throws
    func revokeFamily(id: String, at: Int64) throws
    /// Revokes the family's tokens that are neither spent nor revoked (an earlier successor).
    func revokeUnspentTokens(familyId: String, at: Int64) throws
}
