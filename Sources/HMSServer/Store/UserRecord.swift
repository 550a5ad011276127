import Foundation
import GRDB
import HMSSyncCore

/// A row of `users`, with what auth needs beyond the public `User`.
struct UserRecord: Sendable {
    let id: String
    let name: String
    let email: String
    let role: Role
    let passwordHash: String
    let specialty: String?
    let blacklisted: Bool
    let tokensRevokedAt: Int64?
    /// An admin disabled the account (CONTRACT.md §9.1).
    let disabled: Bool

    init(row: Row) {
        id = row["id"]
        name = row["name"]
        email = row["email"]
        role = Role(rawValue: row["role"]) ?? .patient
        passwordHash = row["password_hash"]
        specialty = row["specialty"]
        blacklisted = row["blacklisted"]
        tokensRevokedAt = row["tokens_revoked_at"]
        disabled = (row["disabled_at"] as Int64?) != nil
    }

    var user: User { User(id: id, name: name, email: email, role: role) }

    /// The admin's view of a doctor (with email).
    var doctor: Doctor {
        Doctor(id: id, name: name, email: email, specialty: specialty ?? "", blacklisted: blacklisted)
    }
}
