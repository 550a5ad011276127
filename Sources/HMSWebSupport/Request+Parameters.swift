import Foundation
import HMSSyncCore
import Hummingbird

extension Request {
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
