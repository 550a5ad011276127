import Foundation

/// Shape rules for single fields, shared by every door that takes them: REST, sync push and
/// the replica's own recording.
public enum FieldRule {
    /// A lowercase UUID string, or `VALIDATION` naming `field`. Upper case input is folded.
    public static func id(_ value: String, field: String) throws(DomainError) -> String {
        guard let uuid = UUID(uuidString: value) else {
            throw .validation(field: field, "\(field) must be a UUID")
        }
        return uuid.uuidString.lowercased()
    }

    /// Text as it is stored: NFC-normalized, free of control and format characters (line feed
    /// and tab only where `limit` allows them), and within `limit`; else `VALIDATION` naming
    /// `field`. Messages name the field and the limit, never the text.
    public static func text(_ value: String, field: String, limit: TextLimit) throws(DomainError) -> String {
        let text = normalized(value)
        if let scalar = text.unicodeScalars.first(where: { isRefused($0, limit: limit) }) {
            let what = scalar.properties.generalCategory == .format ? "format" : "control"
            throw .validation(field: field, "\(field) must not contain \(what) characters")
        }
        guard text.unicodeScalars.count <= limit.scalars, text.utf8.count <= limit.utf8Bytes else {
            throw .validation(field: field, "\(field) is longer than \(limit.scalars) characters")
        }
        return text
    }

    /// Free text that may be absent; present, it follows `text(_:field:limit:)`.
    public static func optionalText(_ value: String?, field: String, limit: TextLimit) throws(DomainError) -> String? {
        guard let value else { return nil }
        return try text(value, field: field, limit: limit)
    }

    /// Text that must hold more than white space, and follows `text(_:field:limit:)`.
    public static func requiredText(_ value: String?, field: String, limit: TextLimit) throws(DomainError) -> String {
        guard let value, !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw .validation(field: field, "\(field) is required")
        }
        return try text(value, field: field, limit: limit)
    }

    /// The NFC form of `value` (canonical composition), as text is stored and compared.
    public static func normalized(_ value: String) -> String {
        // ASCII is already NFC; most text is, and this skips Foundation's bridging for it.
        if value.utf8.allSatisfy({ $0 < 0x80 }) { return value }
        return value.precomposedStringWithCanonicalMapping
    }

    /// Unicode general categories Cc and Cf, except line feed and tab where allowed.
    private static func isRefused(_ scalar: Unicode.Scalar, limit: TextLimit) -> Bool {
        switch scalar.properties.generalCategory {
        case .control: !(limit.allowsLineBreaks && (scalar == "\n" || scalar == "\t"))
        case .format: true
        default: false
        }
    }
}
