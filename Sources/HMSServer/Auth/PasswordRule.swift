import HMSSyncCore

/// What a new password must look like (CONTRACT.md §9.1): 8 to 72 UTF-8 bytes and no NUL.
/// bcrypt reads at most 72 bytes and stops at a NUL, so anything past either would be silently
/// ignored; longer passwords are refused rather than truncated or pre-hashed.
enum PasswordRule {
    static let minBytes = 8
    static let maxBytes = 72

    /// Returns normally for an acceptable password, else `VALIDATION` naming `field`. The
    /// message never repeats the password.
    static func validate(_ password: String, field: String = "password") throws(DomainError) {
        let bytes = password.utf8
        guard bytes.count >= minBytes, bytes.count <= maxBytes else {
            throw .validation(field: field, "\(field) must be \(minBytes) to \(maxBytes) bytes of UTF-8")
        }
        guard !bytes.contains(0) else {
            throw .validation(field: field, "\(field) must not contain a NUL character")
        }
    }
}
