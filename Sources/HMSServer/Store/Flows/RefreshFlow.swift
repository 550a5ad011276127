import Foundation
import HMSSyncCore

/// Token families and refresh-token rotation, written once for every backend; the backends
/// supply the rows (`RefreshTokenRows`) and run each call in one write transaction, so a
/// reuse revokes its family for good.
enum RefreshFlow {
    /// Starts a token family (one login) with its first refresh token and answers the family's
    /// id. An account disabled meanwhile gets `DISABLED`, a doctor blacklisted meanwhile
    /// `BLACKLISTED`: the standing is read so that every family is either revoked by the account
    /// change or refused after it.
    static func startFamily<T: RefreshTokenRows>(
        _ tx: T, familyId: String, userId: String, refreshHash: String, expiresAt: Date, now: Date
    ) throws {
        if let user = try tx.lockedStanding(id: userId) { try user.checkStanding() }
        try tx.insertFamily(id: familyId, userId: userId, at: now.epochSeconds)
        try tx.insertRefreshToken(hash: refreshHash, familyId: familyId, expiresAt: expiresAt.epochSeconds, at: now.epochSeconds)
    }

    /// Spends a refresh token and stores its successor. A spent token is honoured again only
    /// within `grace` seconds of its rotation (`[rotation, rotation + grace)`, so a grace of 0
    /// allows no retry); later it revokes its whole family. Every token issued revokes the
    /// family's other unspent ones, so a replay inside the grace window replaces the earlier
    /// successor instead of forking the family: one family never has two live refresh tokens.
    /// Nothing is issued once the family is `sessionMaxAge` seconds past its login.
    static func rotate<T: RefreshTokenRows>(
        _ tx: T, refreshHash: String, successorHash: String, expiresAt successorExpiry: Date, grace: Int,
        sessionMaxAge: Int, now: Date
    ) throws -> RefreshOutcome {
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
                try tx.revokeFamily(id: token.familyId, at: now)
                return .refused(DomainError(.unauthenticated, "the refresh token was already used"))
            }
        } else {
            try tx.markRotated(hash: refreshHash, at: now)
        }
        try tx.revokeUnspentTokens(familyId: token.familyId, at: now)
        try tx.insertRefreshToken(
            hash: successorHash, familyId: token.familyId, expiresAt: min(successorExpiry.epochSeconds, sessionEnd), at: now)
        return .issued(user: user, familyId: token.familyId)
    }
}
