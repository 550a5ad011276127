import Foundation
import HMSSyncCore

/// What a new account must look like.
enum AccountRule {
    /// The trimmed, NFC-normalized name and email (`FieldRule`), or `VALIDATION` naming the field.
    static func validate(name: String, email: String, password: String) throws(DomainError) -> (name: String, email: String) {
        let name = try FieldRule.requiredText(
            name.trimmingCharacters(in: .whitespacesAndNewlines), field: "name", limit: .name)
        let email = try FieldRule.text(email.trimmingCharacters(in: .whitespacesAndNewlines), field: "email", limit: .email)
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !email.contains(where: \.isWhitespace) else {
            throw .validation(field: "email", "email is not a valid address")
        }
        try PasswordRule.validate(password)
        return (name, email)
    }
}
