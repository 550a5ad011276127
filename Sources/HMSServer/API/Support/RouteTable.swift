import HMSSyncCore
import Hummingbird

/// The API's routes, collected so that a known path answers any method it lacks with
/// `405 METHOD_NOT_ALLOWED` and an `Allow` header (Hummingbird's router answers 404 there).
struct RouteTable {
    typealias Handler = @Sendable (Request, AppRequestContext) async throws -> Response

    private var entries: [(method: HTTPRequest.Method, path: String, handler: Handler)] = []

    mutating func add(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping Handler) {
        entries.append((method, path, handler))
    }

    func install(on router: Router<AppRequestContext>) {
        for entry in entries {
            router.on(RouterPath(entry.path), method: entry.method, use: entry.handler)
        }
    }

    /// The methods each path pattern answers.
    var allowedMethods: AllowedMethods {
        var byPattern: [String: Set<String>] = [:]
        for entry in entries { byPattern[entry.path, default: []].insert(entry.method.rawValue) }
        return AllowedMethods(patterns: byPattern.map { (pattern, methods) in
            (pattern.split(separator: "/").map(String.init), methods)
        })
    }
}

/// Which methods a concrete path answers, by matching it against the route patterns.
struct AllowedMethods: Sendable {
    let patterns: [(segments: [String], methods: Set<String>)]

    /// nil for a path no route has.
    func methods(for path: String) -> Set<String>? {
        let segments = path.split(separator: "/").map(String.init)
        var found: Set<String>?
        for pattern in patterns where pattern.segments.count == segments.count {
            let matches = zip(pattern.segments, segments).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
            if matches { found = (found ?? []).union(pattern.methods) }
        }
        return found
    }
}

/// A known path asked with a method it lacks; answered `405` with `Allow` (RFC 9110).
struct MethodNotAllowedError: Error {
    let method: String
    let allow: String

    var domainError: DomainError { DomainError(.methodNotAllowed, "\(method) is not allowed on this path") }
}

/// Refuses a known path's missing methods before the router answers 404 for them.
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let allowed: AllowedMethods

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        if let methods = allowed.methods(for: request.uri.path), !methods.contains(request.method.rawValue) {
            throw MethodNotAllowedError(method: request.method.rawValue, allow: methods.sorted().joined(separator: ", "))
        }
        return try await next(request, context)
    }
}
