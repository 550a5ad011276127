import Foundation
import HMSSyncCore

/// A user as the admin's account list shows it: `{id, name, email, role, disabled}`.
struct AccountSummary: Codable, Sendable, Equatable {
    let id: String
    let name: String
    let email: String
    let role: Role
    let disabled: Bool
}

extension UserRecord {
    var summary: AccountSummary { AccountSummary(id: id, name: name, email: email, role: role, disabled: disabled) }
}
