import HMSSyncCore
import Hummingbird

/// The server's routes, collected so that they are installed in their groups: `/v1` routes in
/// the group that carries rate limits, auth and audit, the service routes (`/healthz`,
/// `/readyz`, `/metrics`) outside it. A known `/v1` path answers every method it lacks with
/// `405 METHOD_NOT_ALLOWED` and `Allow`, through the same group, so the refusal is limited and
/// audited by its matched route like any other request.
struct RouteTable {
    typealias Handler = @Sendable (Request, AppRequestContext) async throws -> Response

    /// The prefix of the API group.
    static let apiPrefix = "/v1/"
    /// The prefix of the FHIR group (CONTRACT.md §9.5), which carries the same middleware.
    static let fhirPrefix = "/fhir/R4/"
    /// Methods a known path answers with 405 when it lacks them; others fall through to 404.
    static let refusedMethods: [HTTPRequest.Method] = [.get, .head, .post, .put, .delete, .patch, .options]

    private var entries: [(method: HTTPRequest.Method, path: String, handler: Handler)] = []

    mutating func add(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping Handler) {
        entries.append((method, path, handler))
    }

    /// Routes outside `/v1`, straight on the router, with their 405 answers.
    func installServiceRoutes(on router: Router<AppRequestContext>) {
        Self.install(
            entries.filter { !$0.path.hasPrefix(Self.apiPrefix) && !$0.path.hasPrefix(Self.fhirPrefix) }
                .map { ($0.method, $0.path, $0.handler) },
            on: router)
    }

    /// The routes under `prefix` (`apiPrefix` or `fhirPrefix`), in `group` (made by
    /// `router.group` of that prefix), with their 405 answers.
    func installRoutes(under prefix: String, in group: RouterGroup<AppRequestContext>) {
        Self.install(
            entries.filter { $0.path.hasPrefix(prefix) }.map { ($0.method, String($0.path.dropFirst(prefix.count)), $0.handler) },
            on: group)
    }

    private static func install(
        _ routes: [(method: HTTPRequest.Method, path: String, handler: Handler)], on target: some RouterMethods<AppRequestContext>
    ) {
        var methodsByPath: [String: Set<HTTPRequest.Method>] = [:]
        for route in routes {
            target.on(RouterPath(route.path), method: route.method, use: route.handler)
            methodsByPath[route.path, default: []].insert(route.method)
        }
        for (path, methods) in methodsByPath {
            let allow = methods.map(\.rawValue).sorted().joined(separator: ", ")
            for method in refusedMethods where !methods.contains(method) {
                target.on(RouterPath(path), method: method) { request, _ -> Response in
                    throw MethodNotAllowedError(method: request.method.rawValue, allow: allow)
                }
            }
        }
    }
}

/// A known path asked with a method it lacks; answered `405` with `Allow` (RFC 9110).
struct MethodNotAllowedError: Error {
    let method: String
    let allow: String

    var domainError: DomainError { DomainError(.methodNotAllowed, "\(method) is not allowed on this path") }
}
