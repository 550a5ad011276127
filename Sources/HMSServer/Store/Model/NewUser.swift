import Foundation
import HMSSyncCore

/// A new account's fields, already validated, with the password already hashed.
struct NewUser: Sendable {
    let id: String
    let name: String
    let email: String
    let role: Role
    let passwordHash: String
    let specialty: String?
}
