import Foundation

/// Shape rules for single fields, shared by every door that takes them.
public enum FieldRule {
    public static let reasonLimit = 1_000
    public static let notesLimit = 4_000
    public static let nameLimit = 200

    /// A lowercase UUID string, or `VALIDATION` naming `field`. Upper case input is folded.
    public static func id(_ value: String, field: String) throws(DomainError) -> String {
        guard let uuid = UUID(uuidString: value) else {
            throw .validation(field: field, "\(field) must be a UUID")
        }
        return uuid.uuidString.lowercased()
    }

    /// Free text that may be absent, at most `limit` characters.
    public static func optionalText(_ value: String?, field: String, limit: Int) throws(DomainError) -> String? {
        guard let value else { return nil }
        guard value.count <= limit else {
            throw .validation(field: field, "\(field) is longer than \(limit) characters")
        }
        return value
    }

    /// Text that must hold more than white space, at most `limit` characters.
    public static func requiredText(_ value: String?, field: String, limit: Int) throws(DomainError) -> String {
        guard let value, !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw .validation(field: field, "\(field) is required")
        }
        guard value.count <= limit else {
            throw .validation(field: field, "\(field) is longer than \(limit) characters")
        }
        return value
    }
}
