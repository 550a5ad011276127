import HMSSyncCore
import Hummingbird

/// The API's routes, collected so that every path also answers `405 METHOD_NOT_ALLOWED` for
/// the methods it lacks (Hummingbird's router answers 404 there).
struct RouteTable {
    typealias Handler = @Sendable (Request, AppRequestContext) async throws -> Response

    private var entries: [(method: HTTPRequest.Method, path: String, handler: Handler)] = []

    mutating func add(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping Handler) {
        entries.append((method, path, handler))
    }

    func install(on router: Router<AppRequestContext>) {
        var methodsByPath: [String: Set<HTTPRequest.Method>] = [:]
        var pathOrder: [String] = []
        for entry in entries {
            router.on(RouterPath(entry.path), method: entry.method, use: entry.handler)
            if methodsByPath[entry.path] == nil { pathOrder.append(entry.path) }
            methodsByPath[entry.path, default: []].insert(entry.method)
        }
        let all: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete, .options, .trace]
        for path in pathOrder {
            let allowed = methodsByPath[path] ?? []
            let allowHeader = all.filter(allowed.contains).map(\.rawValue).joined(separator: ", ")
            for method in all where !allowed.contains(method) {
                router.on(RouterPath(path), method: method) { _, _ -> Response in
                    // RFC 9110: a 405 names the methods the path has.
                    var response = ErrorMiddleware.response(
                        for: DomainError(.methodNotAllowed, "\(method.rawValue) is not allowed on this path"))
                    response.headers[.allow] = allowHeader
                    return response
                }
            }
        }
    }
}
