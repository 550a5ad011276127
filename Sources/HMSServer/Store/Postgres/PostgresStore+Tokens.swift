import Foundation
import HMSSyncCore
import PostgresNIO

extension PostgresStore {
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
