import Foundation
import HMSSyncCore

extension TransactionalStore where Transaction: RefreshTokenRows {
    /// Starts a token family (one login) with its first refresh token (`RefreshFlow.startFamily`)
    /// and answers the family's id.
    func startFamily(userId: String, refreshHash: String, expiresAt: Date, now: Date) async throws -> String {
        let familyId = RandomID.make()
        try await auditedTransaction { tx in
            try RefreshFlow.startFamily(
                tx, familyId: familyId, userId: userId, refreshHash: refreshHash, expiresAt: expiresAt, now: now)
        }
        return familyId
    }

    /// Spends a refresh token and stores its successor (`RefreshFlow.rotate`).
    func rotate(
        refreshHash: String, successorHash: String, expiresAt successorExpiry: Date, grace: Int, sessionMaxAge: Int,
        now: Date
    ) async throws -> RefreshOutcome {
        try await auditedTransaction { tx in
            try RefreshFlow.rotate(
                tx, refreshHash: refreshHash, successorHash: successorHash, expiresAt: successorExpiry, grace: grace,
                sessionMaxAge: sessionMaxAge, now: now)
        }
    }
}
