import Foundation
import GRDB
import HMSSyncCore


extension SQLiteStore {
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
                db.cachedStatement(sql: "SELECT revoked_at, created_at FROM token_families WHERE id = ? AND user_id = ?"),
                arguments: [familyId, userId])
            let live = family != nil && (family?["revoked_at"] as Int64?) == nil
            return (user, live, (family?["created_at"] as Int64?).map(Date.init(epochSeconds:)))
        }
    }
}
