import Foundation
import HMSWebSupport

/// The pull cursor: this database's id and the last change position sent. Opaque to clients;
/// one from another database, or unreadable, makes the pull start over with `reset: true`.
struct PullCursor: Sendable, Equatable {
    let databaseId: String
    let seq: Int64

    var encoded: String {
        Base64URL.encode(Data("\(databaseId):\(seq)".utf8))
    }

    /// The position to continue from, or nil when the text is not a cursor of `databaseId`.
    static func decode(_ text: String, databaseId: String) -> PullCursor? {
        guard let data = Base64URL.decode(text), let plain = String(data: data, encoding: .utf8) else { return nil }
        let parts = plain.split(separator: ":")
        guard parts.count == 2, parts[0] == databaseId, let seq = Int64(parts[1]), seq >= 0 else { return nil }
        return PullCursor(databaseId: databaseId, seq: seq)
    }
}
