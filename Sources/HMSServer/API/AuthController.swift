import Foundation
import HMSSyncCore
import HMSWebSupport
import Hummingbird

/// Accounts and tokens (CONTRACT.md §2).
struct AuthController {
    let services: AppServices

    struct RegisterBody: Decodable { let name: String; let email: String; let password: String }
    struct LoginBody: Decodable { let email: String; let password: String }
    struct RefreshBody: Decodable { let refreshToken: String }
    struct PasswordBody: Decodable { let currentPassword: String; let newPassword: String }

    func addRoutes(to routes: inout RouteTable) {
        routes.add(.post, "/v1/auth/register", register)
        routes.add(.post, "/v1/auth/login", login)
        routes.add(.post, "/v1/auth/refresh", refresh)
        routes.add(.post, "/v1/auth/logout", logout)
        routes.add(.get, "/v1/me", me)
        routes.add(.post, "/v1/me/password", changePassword)
    }

    @Sendable func register(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(as: RegisterBody.self, context: context)
        let account = try AccountRule.validate(name: body.name, email: body.email, password: body.password)
        try await services.store.checkEmailFree(account.email)
        let record = try await services.store.createUser(
            NewUser(
                id: RandomID.make(), name: account.name, email: account.email, role: .patient,
                passwordHash: try await services.passwords.hash(body.password), specialty: nil),
            now: services.clock.now())
        return try .json(record.user, status: .created)
    }

    /// Throttled per account (`LoginThrottle`) as well as per IP. The password is checked before
    /// the account's standing, so only the right password learns `DISABLED` or `BLACKLISTED`.
    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(as: LoginBody.self, context: context)
        var record: UserRecord?
        let matches = try await services.loginThrottle.attempt(LoginThrottle.key(email: body.email), clock: services.clock) {
            record = try await services.store.user(email: body.email.trimmingCharacters(in: .whitespaces))
            // An unknown email costs one hash check too, so timing does not tell which part was wrong.
            let verified = try await services.passwords.verify(
                body.password, hash: record?.passwordHash ?? services.timingDummyHash)
            // bcrypt stops at a NUL, so a password holding one could match a shorter one
            return verified && record != nil && !body.password.utf8.contains(0)
        }
        // the audit row names the account a login tried, and on success who signed in
        context.audit.record(entityId: record?.id, patientId: nil)
        guard let record, matches else {
            throw DomainError(.invalidCredentials, "wrong email or password")
        }
        context.audit.record(actor: Actor(userId: record.id, role: record.role))
        try record.checkStanding()
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
            grace: services.config.refreshGrace, sessionMaxAge: services.tokens.sessionMaxAge, now: now)
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

    /// `POST /v1/me/password` (CONTRACT.md §9.1): the new password follows `PasswordRule`; a wrong
    /// current one is `INVALID_CREDENTIALS` and counts as a failed login of the account. Every
    /// other token family of the user is revoked with the change; the caller's own stays.
    @Sendable func changePassword(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requireUser()
        guard let familyId = context.identity?.familyId else { throw DomainError(.unauthenticated, "log in again") }
        let body = try await request.decodeJSON(as: PasswordBody.self, context: context)
        try PasswordRule.validate(body.newPassword, field: "newPassword")
        guard let record = try await services.store.user(id: actor.userId) else { throw DomainError.notFound("user") }
        let matches = try await services.loginThrottle.attempt(LoginThrottle.key(email: record.email), clock: services.clock) {
            try await services.passwords.verify(body.currentPassword, hash: record.passwordHash)
                && !body.currentPassword.utf8.contains(0)
        }
        guard matches else { throw DomainError(.invalidCredentials, "the current password is wrong") }
        let hash = try await services.passwords.hash(body.newPassword)
        try await services.store.changePassword(
            userId: actor.userId, passwordHash: hash, keeping: familyId, now: services.clock.now())
        return .noContent
    }

    private func pair(for user: User, familyId: String, refreshToken: String, now: Date) async throws -> TokenPair {
        TokenPair(
            accessToken: try await services.tokens.accessToken(for: user, familyId: familyId, now: now),
            refreshToken: refreshToken, expiresIn: services.config.accessTTL, user: user)
    }
}
