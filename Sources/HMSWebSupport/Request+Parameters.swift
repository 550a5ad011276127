import Foundation
import HMSSyncCore
import Hummingbird

extension Request {
    /// The `limit` of a list (CONTRACT.md §1): default 50, clamped to 1...200; not a number is
    /// `VALIDATION`.
    package func listLimit(default defaultLimit: Int = 50, max maxLimit: Int = 200) throws(DomainError) -> Int {
        guard let text = uri.queryParameters["limit"] else { return defaultLimit }
        guard let value = Int(text) else { throw .validation(field: "limit", "limit must be a whole number") }
        return min(max(value, 1), maxLimit)
    }

    /// A query parameter as a string, nil when absent or empty.
    package func query(_ name: String) -> String? {
        guard let value = uri.queryParameters[Substring(name)], !value.isEmpty else { return nil }
        return String(value)
    }

    /// A path parameter that must be an id; anything else cannot name a thing, so `NOT_FOUND`.
    package func pathId(_ name: String, context: some RequestContext, what: String) throws(DomainError) -> String {
        guard let text = context.parameters.get(name), let uuid = UUID(uuidString: text) else {
            throw DomainError.notFound(what)
        }
        return uuid.uuidString.lowercased()
    }
}
