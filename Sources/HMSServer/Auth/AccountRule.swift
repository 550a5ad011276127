import Foundation
import HMSSyncCore

/// What a new account must look like.
enum AccountRule {
    /// The trimmed name and email, or `VALIDATION` naming the field.
    static func validate(name: String, email: String, password: String) throws(DomainError) -> (name: String, email: String) {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= FieldRule.nameLimit else {
            throw .validation(field: "name", "name must be 1 to \(FieldRule.nameLimit) characters")
        }
        let email = email.trimmingCharacters(in: .whitespacesAndNewlines)
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard email.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            !email.contains(where: \.isWhitespace)
        else {
            throw .validation(field: "email", "email is not a valid address")
        }
        try PasswordRule.validate(password)
        return (name, email)
    }
}
