import Foundation
import HMSSyncCore
import Hummingbird

/// Thrown when a client is over its rate; answered as `429 RATE_LIMITED` with `Retry-After`.
struct RateLimitedError: Error {
    let retryAfterSeconds: Int
}

/// The endpoint groups that are limited separately (CONTRACT.md §7), by matched route.
enum RateLimitGroup: String, Sendable {
    case login, auth, sync, admin, api

    /// The group of a route pattern; a request no route matched counts as `api`.
    init(route: String) {
        switch route {
        case "/v1/auth/login", "/v1/me/password": self = .login
        case _ where route.hasPrefix("/v1/auth/"): self = .auth
        case _ where route.hasPrefix("/v1/sync/"): self = .sync
        case _ where route.hasPrefix("/v1/admin/"): self = .admin
        default: self = .api
        }
    }
}

/// Limits each client address per endpoint group of the matched route, so every spelling of a
/// path (`//v1/x`, `/v1/x/`) counts where the route it reaches counts.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let limiter: RateLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let group = RateLimitGroup(route: context.endpointPath ?? AuditMiddleware.unmatchedRoute)
        if let wait = limiter.take(client: context.rateLimitKey, group: group,
                                   now: Date().timeIntervalSince1970)
        {
            throw RateLimitedError(retryAfterSeconds: max(wait, 1))
        }
        return try await next(request, context)
    }
}
