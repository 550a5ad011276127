import Foundation
import HMSSyncCore
import Hummingbird

/// Accounts and tokens (CONTRACT.md §2).
struct AuthController {
    let services: AppServices

    struct RegisterBody: Decodable { let name: String; let email: String; let password: String }
    struct LoginBody: Decodable { let email: String; let password: String }
    struct RefreshBody: Decodable { let refreshToken: String }

    func addRoutes(to routes: inout RouteTable) {
        routes.add(.post, "/v1/auth/register", register)
        routes.add(.post, "/v1/auth/login", login)
        routes.add(.post, "/v1/auth/refresh", refresh)
        routes.add(.post, "/v1/auth/logout", logout)
        routes.add(.get, "/v1/me", me)
    }

    @Sendable func register(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(as: RegisterBody.self, context: context)
        let account = try AccountRule.validate(name: body.name, email: body.email, password: body.password)
        let record = try await services.store.createUser(
            NewUser(
                id: UUID().uuidString.lowercased(), name: account.name, email: account.email, role: .patient,
                passwordHash: try await services.passwords.hash(body.password), specialty: nil),
            now: services.clock.now())
        return try .json(record.user, status: .created)
    }

    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(as: LoginBody.self, context: context)
        let record = try await services.store.user(email: body.email.trimmingCharacters(in: .whitespaces))
        // An unknown email costs one hash check too, so timing does not tell which part was wrong.
        let matches = try await services.passwords.verify(
            body.password, hash: record?.passwordHash ?? services.timingDummyHash)
        // the audit row names the account a login tried, and on success who signed in
        context.audit.record(entityId: record?.id, patientId: nil)
        guard let record, matches else {
            throw DomainError(.invalidCredentials, "wrong email or password")
        }
        context.audit.record(actor: Actor(userId: record.id, role: record.role))
        if record.role == .doctor && record.blacklisted {
            throw DomainError(.blacklisted, "this doctor is blacklisted")
        }
        let now = services.clock.now()
        let refreshToken = TokenService.makeRefreshToken()
        let familyId = try await services.store.startFamily(
            userId: record.id, refreshHash: TokenService.hash(refreshToken: refreshToken),
            expiresAt: now.addingTimeInterval(TimeInterval(services.config.refreshTTL)), now: now)
        return try .json(try await pair(for: record.user, familyId: familyId, refreshToken: refreshToken, now: now))
    }

    @Sendable func refresh(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(as: RefreshBody.self, context: context)
        let now = services.clock.now()
        let successor = TokenService.makeRefreshToken()
        let outcome = try await services.store.rotate(
            refreshHash: TokenService.hash(refreshToken: body.refreshToken),
            successorHash: TokenService.hash(refreshToken: successor),
            expiresAt: now.addingTimeInterval(TimeInterval(services.config.refreshTTL)),
            grace: services.config.refreshGrace, now: now)
        switch outcome {
        case .refused(let error):
            throw error
        case .issued(let record, let familyId):
            return try .json(try await pair(for: record.user, familyId: familyId, refreshToken: successor, now: now))
        }
    }

    /// The refresh token is the credential: its family is revoked; unknown tokens answer 204 too.
    @Sendable func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(as: RefreshBody.self, context: context)
        try await services.store.revokeFamily(
            refreshHash: TokenService.hash(refreshToken: body.refreshToken), now: services.clock.now())
        return .noContent
    }

    @Sendable func me(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requireUser()
        guard let record = try await services.store.user(id: actor.userId) else { throw DomainError.notFound("user") }
        return try .json(record.user)
    }

    private func pair(for user: User, familyId: String, refreshToken: String, now: Date) async throws -> TokenPair {
        TokenPair(
            accessToken: try await services.tokens.accessToken(for: user, familyId: familyId, now: now),
            refreshToken: refreshToken, expiresIn: services.config.accessTTL, user: user)
    }
}
