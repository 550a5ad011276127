import Foundation
import HMSWebSupport
import GRDB
import HMSSyncCore

/// The opaque `cursor` of REST lists: the sort key and id of the last item sent, so the next
/// page starts after it (keyset paging: rows added meanwhile neither repeat nor vanish).
struct ListCursor: Codable, Sendable {
    /// The sort key: a time in seconds or a text.
    enum Key: Codable, Sendable {
        case int(Int64)
        case text(String)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let int = try? container.decode(Int64.self) {
                self = .int(int)
            } else {
                self = .text(try container.decode(String.self))
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .int(let value): try container.encode(value)
            case .text(let value): try container.encode(value)
            }
        }
    }

    let k: Key
    let i: String

    init(key: Key, id: String) {
        k = key
        i = id
    }

    var key: any DatabaseValueConvertible {
        switch k {
        case .int(let value): value
        case .text(let value): value
        }
    }

    var id: String { i }

    /// The cursor as the client sees it.
    var encoded: String {
        Base64URL.encode((try? JSONEncoder().encode(self)) ?? Data())
    }

    /// Reads a client's cursor; nil in, nil out; anything unreadable is `VALIDATION` on `cursor`.
    static func decode(_ text: String?) throws(DomainError) -> ListCursor? {
        guard let text, !text.isEmpty else { return nil }
        guard let data = Base64URL.decode(text), let cursor = try? JSONDecoder().decode(ListCursor.self, from: data)
        else {
            throw .validation(field: "cursor", "cursor is not one this server gave out")
        }
        return cursor
    }
}
