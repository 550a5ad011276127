import Foundation
import HMSSyncCore
import PostgresNIO

extension PostgresStore {
    /// Starts a token family (one login) and stores its first refresh token's hash. An account
    /// disabled meanwhile gets `DISABLED`, a doctor blacklisted meanwhile `BLACKLISTED`: the
    /// standing is read under a share lock on the user's row (`lockedStanding`), which an account
    /// change's row lock waits for, so every family is either revoked by the change or refused
    /// after it.
    func startFamily(userId: String, refreshHash: String, expiresAt: Date, now: Date) async throws -> String {
        let familyId = UUID().uuidString.lowercased()
        try await write { tx in
            if let user = try tx.lockedStanding(id: userId) { try user.checkStanding() }
            try tx.execute(
                "INSERT INTO token_families (id, user_id, created_at) VALUES (\(familyId), \(userId), \(now.epochSeconds))")
            try tx.execute(
                """
                INSERT INTO refresh_tokens (hash, family_id, expires_at, created_at)
                VALUES (\(refreshHash), \(familyId), \(expiresAt.epochSeconds), \(now.epochSeconds))
                """)
        }
        return familyId
    }

    /// Spends a refresh token and stores its successor. A spent token is honoured again only
    /// within `grace` seconds of its rotation (`[rotation, rotation + grace)`, so a grace of 0
    /// allows no retry); later it revokes its whole family. Every token issued revokes the
    /// family's other unspent ones, so a replay inside the grace window replaces the earlier
    /// successor instead of forking the family: one family never has two live refresh tokens.
    /// Nothing is issued once the family is `sessionMaxAge` seconds past its login. Refreshes of
    /// one family run one at a time, on any server (`lockedRefreshToken`).
    func rotate(
        refreshHash: String, successorHash: String, expiresAt successorExpiry: Date, grace: Int, sessionMaxAge: Int,
        now: Date
    ) async throws -> RefreshOutcome {
        try await write { tx in
            guard let token = try tx.lockedRefreshToken(hash: refreshHash), let user = try tx.user(id: token.userId) else {
                return .refused(DomainError(.unauthenticated, "the refresh token is not valid"))
            }
            if let error = user.standingError { return .refused(error) }
            let now = now.epochSeconds
            let sessionEnd = token.startedAt + Int64(sessionMaxAge)
            guard token.familyRevokedAt == nil, token.expiresAt > now, sessionEnd > now else {
                return .refused(DomainError(.unauthenticated, "the refresh token has expired or was revoked"))
            }
            guard token.replacedAt == nil else {
                return .refused(DomainError(.unauthenticated, "the refresh token was replaced by a later one"))
            }
            if let rotatedAt = token.rotatedAt {
                guard now - rotatedAt < Int64(grace) else {
                    try tx.execute("UPDATE token_families SET revoked_at = \(now) WHERE id = \(token.familyId)")
                    return .refused(DomainError(.unauthenticated, "the refresh token was already used"))
                }
            } else {
                try tx.execute("UPDATE refresh_tokens SET rotated_at = \(now) WHERE hash = \(refreshHash)")
            }
            try tx.execute(
                """
                UPDATE refresh_tokens SET revoked_at = \(now)
                WHERE family_id = \(token.familyId) AND rotated_at IS NULL AND revoked_at IS NULL
                """)
            try tx.execute(
                """
                INSERT INTO refresh_tokens (hash, family_id, expires_at, created_at)
                VALUES (\(successorHash), \(token.familyId), \(min(successorExpiry.epochSeconds, sessionEnd)), \(now))
                """)
            return .issued(user: user, familyId: token.familyId)
        }
    }

    /// Revokes the family of a refresh token (logout); unknown tokens change nothing. The UPDATE
    /// takes the family's row lock, the first lock a refresh takes, so it waits for a refresh of
    /// that family in flight and none starts on it until it commits.
    func revokeFamily(refreshHash: String, now: Date) async throws {
        try await write { tx in
            try tx.execute(
                """
                UPDATE token_families SET revoked_at = \(now.epochSeconds)
                WHERE revoked_at IS NULL AND id = (SELECT family_id FROM refresh_tokens WHERE hash = \(refreshHash))
                """)
        }
    }

    /// The user behind an access token, whether its family is still live (exists, not revoked)
    /// and when that family began (its login).
    func session(userId: String, familyId: String) async throws -> (user: UserRecord, live: Bool, startedAt: Date?)? {
        try await read { tx in
            guard let user = try tx.user(id: userId) else { return nil }
            let family = try tx.query(
                "SELECT revoked_at, created_at FROM token_families WHERE id = \(familyId) AND user_id = \(userId)"
            ).first?.decode((Int64?, Int64).self)
            return (user, family != nil && family?.0 == nil, family.map { Date(epochSeconds: $0.1) })
        }
    }
}
