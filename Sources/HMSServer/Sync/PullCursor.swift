import Foundation

/// The pull cursor: this database's id and the last change position sent. Opaque to clients;
/// one from another database, or unreadable, makes the pull start over with `reset: true`.
struct PullCursor: Sendable, Equatable {
    let databaseId: String
    let seq: Int64

    var encoded: String {
        Data("\(databaseId):\(seq)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The position to continue from, or nil when the text is not a cursor of `databaseId`.
    static func decode(_ text: String, databaseId: String) -> PullCursor? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let plain = String(data: data, encoding: .utf8) else { return nil }
        let parts = plain.split(separator: ":")
        guard parts.count == 2, parts[0] == databaseId, let seq = Int64(parts[1]), seq >= 0 else { return nil }
        return PullCursor(databaseId: databaseId, seq: seq)
    }
}
