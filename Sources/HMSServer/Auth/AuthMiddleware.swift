import Foundation
import HMSSyncCore
import Hummingbird

/// Reads a bearer token when one is sent and records who it proves, or why it is refused.
/// It never answers by itself: routes that need a user call `context.require`.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let tokens: TokenService
    let store: any ServerStore
    let clock: AppClock

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var context = context
        if let header = request.headers[.authorization] {
            do {
                context.identity = try await identify(header)
            } catch let error as DomainError {
                context.authFailure = error
            }
        }
        return try await next(request, context)
    }

    private func identify(_ header: String) async throws -> Identity {
        let refused = DomainError(.unauthenticated, "the access token is not valid")
        guard header.hasPrefix("Bearer ") else { throw refused }
        let now = clock.now()
        let identity = try await tokens.verify(String(header.dropFirst(7)), now: now)
        guard let (user, live, startedAt) = try await store.session(userId: identity.actor.userId, familyId: identity.familyId)
        else { throw refused }
        try user.checkStanding()
        if let revokedAt = user.tokensRevokedAt, identity.issuedAt.epochSeconds <= revokedAt { throw refused }
        guard live, let startedAt else { throw DomainError(.unauthenticated, "the session has ended; log in again") }
        if tokens.sessionExpired(startedAt: startedAt, now: now) {
            throw DomainError(.unauthenticated, "the session has reached its maximum age; log in again")
        }
        return Identity(actor: Actor(userId: user.id, role: user.role), familyId: identity.familyId,
                        issuedAt: identity.issuedAt)
    }
}
