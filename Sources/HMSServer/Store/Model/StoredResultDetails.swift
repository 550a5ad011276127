import Foundation
import HMSSyncCore

/// A refused mutation's `details` as its stored result keeps them (a JSON object as text), so a
/// retry answers the same details, alternatives included.
enum StoredResultDetails {
    static func text(_ details: [String: ErrorDetail]?) -> String? {
        guard let details, !details.isEmpty, let data = try? RFC3339.makeEncoder().encode(details) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// The details, or nil for none; text this server did not write is dropped, not trusted.
    static func details(_ text: String?) -> [String: ErrorDetail]? {
        guard let text else { return nil }
        return try? RFC3339.makeDecoder().decode([String: ErrorDetail].self, from: Data(text.utf8))
    }
}
