import Crypto
import Foundation
import HMSWebSupport
import HMSSyncCore
import JWTKit

/// The identity an access token proves.
struct Identity: Sendable {
    let actor: Actor
    let familyId: String
    let issuedAt: Date
}

/// Signs and checks access tokens (HS256 only) and makes opaque refresh tokens.
struct TokenService: Sendable {
    let keys: JWTKeyCollection
    let accessTTL: Int
    /// The longest a token family lives from its login, however often refreshed (`HMS_SESSION_MAX_AGE`).
    let sessionMaxAge: Int

    init(secret: String, accessTTL: Int, sessionMaxAge: Int = Config().sessionMaxAge) async {
        keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        self.accessTTL = accessTTL
        self.sessionMaxAge = sessionMaxAge
    }

    /// Whether a family that began at `startedAt` is past `HMS_SESSION_MAX_AGE` at `now`.
    func sessionExpired(startedAt: Date, now: Date) -> Bool {
        now.timeIntervalSince(startedAt) >= TimeInterval(sessionMaxAge)
    }

    func accessToken(for user: User, familyId: String, now: Date) async throws -> String {
        let claims = AccessClaims(
            sub: .init(value: user.id), role: user.role.rawValue, sid: familyId, typ: AccessClaims.type,
            iss: .init(value: AccessClaims.issuer), aud: .init(value: AccessClaims.audience),
            iat: .init(value: now), exp: .init(value: now.addingTimeInterval(TimeInterval(accessTTL))))
        return try await keys.sign(claims)
    }

    /// The identity in a token, or `UNAUTHENTICATED` for anything signed otherwise, altered,
    /// expired, of another algorithm than HS256 (`none` included), or not an access token.
    func verify(_ token: String, now: Date) async throws(DomainError) -> Identity {
        let refused = DomainError(.unauthenticated, "the access token is not valid")
        guard Self.headerAlgorithm(of: token) == "HS256" else { throw refused }
        guard let claims = try? await keys.verify(token, as: AccessClaims.self),
            (try? claims.exp.verifyNotExpired(currentDate: now)) != nil,
            let role = Role(rawValue: claims.role)
        else { throw refused }
        return Identity(actor: Actor(userId: claims.sub.value, role: role), familyId: claims.sid, issuedAt: claims.iat.value)
    }

    /// A new refresh token: 32 random bytes, base64url. Only its hash is stored.
    static func makeRefreshToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Base64URL.encode(Data(bytes))
    }

    static func hash(refreshToken: String) -> String {
        SHA256.hash(data: Data(refreshToken.utf8)).hex
    }

    /// The `alg` of a JWT's header, read before any key is chosen: the algorithm is pinned.
    private static func headerAlgorithm(of token: String) -> String? {
        guard let header = token.split(separator: ".", omittingEmptySubsequences: false).first else { return nil }
        guard let data = Base64URL.decode(header),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        return object["alg"] as? String
    }
}
