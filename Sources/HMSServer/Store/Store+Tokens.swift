import Foundation
import GRDB
import HMSSyncCore

/// How a refresh attempt ended; decided inside one transaction so a reuse revokes for good.
enum RefreshOutcome: Sendable {
    case issued(user: UserRecord, familyId: String)
    case refused(DomainError)
}

extension Store {
    /// Starts a token family (one login) and stores its first refresh token's hash. A doctor
    /// blacklisted meanwhile gets `BLACKLISTED`: checked in the write that creates the family, so
    /// every family is either revoked by the blacklisting or refused after it.
    func startFamily(userId: String, refreshHash: String, expiresAt: Date, now: Date) async throws -> String {
        let familyId = UUID().uuidString.lowercased()
        try await write { db in
            if try Self.user(db, id: userId).map({ $0.role == .doctor && $0.blacklisted }) == true {
                throw DomainError(.blacklisted, "this doctor is blacklisted")
            }
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
    /// allows no retry); later it revokes its whole family.
    func rotate(refreshHash: String, successorHash: String, expiresAt successorExpiry: Date, grace: Int, now: Date) async throws
        -> RefreshOutcome
    {
        try await write { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT t.expires_at, t.rotated_at, f.id AS family_id, f.revoked_at, f.user_id
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
            if user.role == .doctor && user.blacklisted {
                return .refused(DomainError(.blacklisted, "this doctor is blacklisted"))
            }
            let revokedAt: Int64? = row["revoked_at"]
            let expiresAt: Int64 = row["expires_at"]
            guard revokedAt == nil, expiresAt > now.epochSeconds else {
                return .refused(DomainError(.unauthenticated, "the refresh token has expired or was revoked"))
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
                sql: "INSERT INTO refresh_tokens (hash, family_id, expires_at, created_at) VALUES (?, ?, ?, ?)",
                arguments: [successorHash, familyId, successorExpiry.epochSeconds, now.epochSeconds]
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

    /// The user behind an access token and whether its family is still live.
    func session(userId: String, familyId: String) async throws -> (user: UserRecord, live: Bool)? {
        try await pool.read { db in
            guard let user = try Self.user(db, id: userId) else { return nil }
            let revoked = try Row.fetchOne(
                db, sql: "SELECT revoked_at FROM token_families WHERE id = ? AND user_id = ?",
                arguments: [familyId, userId])
            let live = revoked != nil && (revoked?["revoked_at"] as Int64?) == nil
            return (user, live)
        }
    }
}
