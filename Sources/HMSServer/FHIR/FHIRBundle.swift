import Foundation
import HMSSyncCore
import HMSWebSupport
import Hummingbird

/// A `searchset` Bundle of one page, with `self` and, when more follow, `next` links that repeat
/// the search with the page's position (`_cursor`). Links are relative to the server's base, so
/// no `Host` a client sent is ever echoed back.
enum FHIRBundle {
    static func searchset(_ resources: [JSONValue], request: Request, nextCursor: String?) -> JSONValue {
        var links: [JSONValue] = [["relation": "self", "url": .string(link(request, cursor: request.query("_cursor")))]]
        if let nextCursor { links.append(["relation": "next", "url": .string(link(request, cursor: nextCursor))]) }
        let entries: [JSONValue] = resources.map { resource in
            let type = resource["resourceType"]?.stringValue ?? ""
            let id = resource["id"]?.stringValue ?? ""
            return ["fullUrl": .string("/fhir/R4/\(type)/\(id)"), "resource": resource, "search": ["mode": "match"]]
        }
        var bundle: [String: JSONValue] = ["resourceType": "Bundle", "type": "searchset", "link": .array(links)]
        // FHIR allows no empty arrays: a search without matches has no `entry` at all
        if !entries.isEmpty { bundle["entry"] = .array(entries) }
        return .object(bundle)
    }

    /// The request's own search, at another position: its path and its parameters in their order,
    /// every value percent-encoded again.
    private static func link(_ request: Request, cursor: String?) -> String {
        var pairs: [String] = []
        for (name, value) in request.uri.queryParameters where name != "_cursor" {
            pairs.append("\(encode(String(name)))=\(encode(String(value)))")
        }
        if let cursor { pairs.append("_cursor=\(encode(cursor))") }
        return request.uri.path + (pairs.isEmpty ? "" : "?" + pairs.joined(separator: "&"))
    }

    private static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~/"))) ?? ""
    }
}
