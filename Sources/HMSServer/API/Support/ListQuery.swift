import Foundation
import HMSSyncCore
import HMSWebSupport
import Hummingbird

/// `limit` and `cursor` of a REST list (CONTRACT.md §1).
struct ListQuery {
    static let defaultLimit = 50
    static let maxLimit = 200

    let limit: Int
    let cursor: ListCursor?

    init(_ request: Request) throws(DomainError) {
        limit = try request.listLimit(default: Self.defaultLimit, max: Self.maxLimit)
        cursor = try ListCursor.decode(request.query("cursor"))
    }

    /// Fetches one more than the limit to know whether another page follows.
    var fetchLimit: Int { limit + 1 }

    /// The page of `rows` and the cursor to its next page, keyed by `key` of the last item sent.
    func page<Item: Codable & Sendable>(_ rows: [Item], key: (Item) -> (ListCursor.Key, String)) -> Page<Item> {
        let (items, nextCursor) = slice(rows, key: key)
        return Page(items: items, nextCursor: nextCursor)
    }

    /// The same for rows that carry more than the items sent (say, their position).
    func slice<Row>(_ rows: [Row], key: (Row) -> (ListCursor.Key, String)) -> (items: [Row], nextCursor: String?) {
        guard rows.count > limit else { return (rows, nil) }
        let items = Array(rows.prefix(limit))
        let (sortKey, id) = key(items[items.count - 1])
        return (items, ListCursor(key: sortKey, id: id).encoded)
    }
}
