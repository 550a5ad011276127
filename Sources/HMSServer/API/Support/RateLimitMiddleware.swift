import Foundation
import HMSSyncCore
import Hummingbird
import NIOConcurrencyHelpers

/// Thrown when a client is over its rate; answered as `429 RATE_LIMITED` with `Retry-After`.
struct RateLimitedError: Error {
    let retryAfterSeconds: Int
}

/// The endpoint groups that are limited separately (CONTRACT.md §7).
enum RateLimitGroup: String, Sendable {
    case login, auth, sync, admin, api

    init?(path: String) {
        switch path {
        case "/healthz", "/readyz", "/metrics": return nil
        case "/v1/auth/login": self = .login
        case _ where path.hasPrefix("/v1/auth/"): self = .auth
        case _ where path.hasPrefix("/v1/sync/"): self = .sync
        case _ where path.hasPrefix("/v1/admin/"): self = .admin
        default: self = .api
        }
    }
}

/// Token buckets per client IP and endpoint group: `perMinute` requests a minute, refilled
/// continuously, bursts up to a minute's worth; login gets a tenth.
final class RateLimiter: Sendable {
    private struct Bucket { var tokens: Double; var updated: TimeInterval }
    private let buckets = NIOLockedValueBox<[String: Bucket]>([:])
    private let perMinute: Int

    init(perMinute: Int) { self.perMinute = perMinute }

    /// nil when the request may pass, else the seconds until a token is back.
    func take(ip: String, group: RateLimitGroup, now: TimeInterval) -> Int? {
        let capacity = group == .login ? max(Double(perMinute) / 10, 1) : Double(perMinute)
        let perSecond = capacity / 60
        return buckets.withLockedValue { buckets in
            if buckets.count > 100_000 { buckets.removeAll() }
            let key = "\(group.rawValue)|\(ip)"
            var bucket = buckets[key] ?? Bucket(tokens: capacity, updated: now)
            bucket.tokens = min(capacity, bucket.tokens + (now - bucket.updated) * perSecond)
            bucket.updated = now
            defer { buckets[key] = bucket }
            guard bucket.tokens >= 1 else { return Int(((1 - bucket.tokens) / perSecond).rounded(.up)) }
            bucket.tokens -= 1
            return nil
        }
    }
}

struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let limiter: RateLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        if let group = RateLimitGroup(path: request.uri.path),
            let wait = limiter.take(ip: context.clientIP, group: group, now: Date().timeIntervalSince1970)
        {
            throw RateLimitedError(retryAfterSeconds: max(wait, 1))
        }
        return try await next(request, context)
    }
}
