import Foundation
import GRDB
import HMSSyncCore


extension SQLiteStore {
    /// Starts a token family (one login) and stores its first refresh token's hash. An account
    /// disabled meanwhile gets `DISABLED`, a doctor blacklisted meanwhile `BLACKLISTED`: checked in
    /// the write that creates the family, so every family is either revoked by the change or
    /// refused after it.
    func startFamily(userId: String, refreshHash: String, expiresAt: Date, now: Date) async throws -> String {
        let familyId = UUID().uuidString.lowercased()
        try await write { db in
            if let user = try Self.user(db, id: userId) { try user.checkStanding() }
            try db.execute(
                sql: "INSERT INTO token_families (id, user_id, created_at) VALUES (?, ?, ?)",
                arguments: [familyId, userId, now.epochSeconds]
            )
            try db.execute(
                sql: "INSERT INTO refresh_tokens (hash, family_id, expires_at, created_at) VALUES (?, ?, ?, ?)",
                arguments: [refreshHash, familyId, expiresAt.epochSeconds, now.epochSeconds]
            )
        }
        return familyId
    }

    /// Spends a refresh token and stores its successor. A spent token is honoured again only
    /// within `grace` seconds of its rotation (`[rotation, rotation + grace)`, so a grace of 0
    /// allows no retry); later it revokes its whole family. Every token issued revokes the
    /// family's other unspent ones, so a replay inside the grace window replaces the earlier
    /// successor instead of forking the family: one family never has two live refresh tokens.
    /// Nothing is issued once the family is `sessionMaxAge` seconds past its login.
    func rotate(
        refreshHash: String, successorHash: String, expiresAt successorExpiry: Date, grace: Int, sessionMaxAge: Int,
        now: Date
    ) async throws -> RefreshOutcome {
        try await write { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT t.expires_at, t.rotated_at, t.revoked_at AS replaced_at, f.id AS family_id,
                               f.revoked_at, f.user_id, f.created_at AS started_at
                        FROM refresh_tokens t JOIN token_families f ON f.id = t.family_id
                        WHERE t.hash = ?
                        """,
                    arguments: [refreshHash]
                ),
                let user = try Self.user(db, id: row["user_id"])
            else {
                return .refused(DomainError(.unauthenticated, "the refresh token is not valid"))
            }
            let familyId: String = row["family_id"]
            if let error = user.standingError { return .refused(error) }
            let revokedAt: Int64? = row["revoked_at"]
            let expiresAt: Int64 = row["expires_at"]
            let sessionEnd = (row["started_at"] as Int64) + Int64(sessionMaxAge)
            guard revokedAt == nil, expiresAt > now.epochSeconds, sessionEnd > now.epochSeconds else {
                return .refused(DomainError(.unauthenticated, "the refresh token has expired or was revoked"))
            }
            guard (row["replaced_at"] as Int64?) == nil else {
                return .refused(DomainError(.unauthenticated, "the refresh token was replaced by a later one"))
            }
            if let rotatedAt: Int64 = row["rotated_at"] {
                guard now.epochSeconds - rotatedAt < Int64(grace) else {
                    try db.execute(
                        sql: "UPDATE token_families SET revoked_at = ? WHERE id = ?",
                        arguments: [now.epochSeconds, familyId]
                    )
                    return .refused(DomainError(.unauthenticated, "the refresh token was already used"))
                }
            } else {
                try db.execute(
                    sql: "UPDATE refresh_tokens SET rotated_at = ? WHERE hash = ?",
                    arguments: [now.epochSeconds, refreshHash]
                )
            }
            try db.execute(
                sql: """
                    UPDATE refresh_tokens SET revoked_at = ?
                    WHERE family_id = ? AND rotated_at IS NULL AND revoked_at IS NULL
                    """,
                arguments: [now.epochSeconds, familyId]
            )
            try db.execute(
                sql: "INSERT INTO refresh_tokens (hash, family_id, expires_at, created_at) VALUES (?, ?, ?, ?)",
                arguments: [successorHash, familyId, min(successorExpiry.epochSeconds, sessionEnd), now.epochSeconds]
            )
            return .issued(user: user, familyId: familyId)
        }
    }

    /// Revokes the family of a refresh token (logout); unknown tokens change nothing.
    func revokeFamily(refreshHash: String, now: Date) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE token_families SET revoked_at = ?
                    WHERE revoked_at IS NULL AND id = (SELECT family_id FROM refresh_tokens WHERE hash = ?)
                    """,
                arguments: [now.epochSeconds, refreshHash]
            )
        }
    }

    /// The user behind an access token, whether its family is still live (exists, not revoked)
    /// and when that family began (its login).
    func session(userId: String, familyId: String) async throws -> (user: UserRecord, live: Bool, startedAt: Date?)? {
        try await pool.read { db in
            guard let user = try Self.user(db, id: userId) else { return nil }
            let family = try Row.fetchOne(
                db, sql: "SELECT revoked_at, created_at FROM token_families WHERE id = ? AND user_id = ?",
                arguments: [familyId, userId])
            let live = family != nil && (family?["revoked_at"] as Int64?) == nil
            return (user, live, (family?["created_at"] as Int64?).map(Date.init(epochSeconds:)))
        }
    }
}
