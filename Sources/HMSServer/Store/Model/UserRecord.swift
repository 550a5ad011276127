import Foundation
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

    var user: User { User(id: id, name: name, email: email, role: role) }

    /// The admin's view of a doctor (with email).
    var doctor: Doctor {
        Doctor(id: id, name: name, email: email, specialty: specialty ?? "", blacklisted: blacklisted)
    }
}
