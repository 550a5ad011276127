import Foundation
import HMSSyncCore

/// Accounts, sessions and refresh-token families.
protocol AccountStore: Sendable {
    /// Inserts a user, or `DUPLICATE` when the email is taken in any case or normalization form.
    func createUser(_ new: NewUser, now: Date) async throws -> UserRecord
    /// Creates the admin unless an account with that email exists; answers whether it was created.
    func seedAdmin(email: String, name: String, passwordHash: @escaping @Sendable () -> String, now: Date) async throws -> Bool
    /// `DUPLICATE` when an account with that email exists (checked before a password is hashed).
    func checkEmailFree(_ email: String) async throws
    func user(id: String) async throws -> UserRecord?
    func user(email: String) async throws -> UserRecord?
    func setBlacklisted(doctorId: String, _ blacklisted: Bool, now: Date) async throws -> UserRecord
    func doctors(specialty: String?, after cursor: ListCursor?, limit: Int) async throws -> [UserRecord]
    func accounts(role: Role?, matching query: String?, after cursor: ListCursor?, limit: Int) async throws -> [AccountSummary]
    func setDisabled(userId: String, _ disabled: Bool, now: Date) async throws -> UserRecord
    func changePassword(userId: String, passwordHash: String, keeping keptFamily: String, now: Date) async throws

    /// Starts a token family (one login) with its first refresh token's hash; answers its id.
    func startFamily(userId: String, refreshHash: String, expiresAt: Date, now: Date) async throws -> String
    /// Spends a refresh token and stores its successor, in one transaction (`RefreshFlow.rotate`).
    func rotate(
        refreshHash: String, successorHash: String, expiresAt successorExpiry: Date, grace: Int, sessionMaxAge: Int,
        now: Date
    ) async throws -> RefreshOutcome
    func revokeFamily(refreshHash: String, now: Date) async throws
    /// The user behind an access token, whether its family is live, and when it began.
    func session(userId: String, familyId: String) async throws -> (user: UserRecord, live: Bool, startedAt: Date?)?
}
