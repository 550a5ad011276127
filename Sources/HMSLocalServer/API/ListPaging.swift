import Foundation
import HMSSyncCore
import HMSWebSupport
import Hummingbird

/// `limit` and `cursor` of a list answered from the replica (CONTRACT.md §1): the whole list is
/// local and small, so a cursor is the id of the last item sent, base64url-encoded (opaque to
/// the console, as the server's are).
struct ListPaging {
    static let defaultLimit = 50
    static let maxLimit = 200

    let limit: Int
    let afterId: String?

    init(_ request: Request) throws(DomainError) {
        limit = try request.listLimit(default: Self.defaultLimit, max: Self.maxLimit)
        if let cursor = request.query("cursor") {
            guard let data = Base64URL.decode(cursor), let id = String(data: data, encoding: .utf8), UUID(uuidString: id) != nil
            else { throw .validation(field: "cursor", "cursor is not one this server gave") }
            afterId = id
        } else {
            afterId = nil
        }
    }

    /// The page of `items` (already in the list's order) after the cursor's item.
    func page<Item: Codable & Sendable>(_ items: [Item], id: (Item) -> String) -> Page<Item> {
        var rest = items[...]
        if let afterId, let index = items.firstIndex(where: { id($0) == afterId }) {
            rest = items[(index + 1)...]
        }
        guard rest.count > limit else { return Page(items: Array(rest), nextCursor: nil) }
        let sent = Array(rest.prefix(limit))
        return Page(items: sent, nextCursor: Base64URL.encode(Data(id(sent[sent.count - 1]).utf8)))
    }
}
