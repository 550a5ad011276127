import Foundation
import JWTKit

/// The claims of an access token. `typ` keeps access tokens apart from anything else signed
/// with the same key; `sid` names the login (token family) so logout revokes it.
struct AccessClaims: JWTPayload {
    static let issuer = "hms-server"
    static let audience = "hms-api"
    static let type = "access"

    var sub: SubjectClaim
    var role: String
    var sid: String
    var typ: String
    var iss: IssuerClaim
    var aud: AudienceClaim
    var iat: IssuedAtClaim
    var exp: ExpirationClaim

    /// Clock-dependent checks happen in `TokenService`, against the server's clock.
    func verify(using algorithm: some JWTAlgorithm) async throws {
        guard iss.value == Self.issuer, typ == Self.type else {
            throw JWTError.claimVerificationFailure(failedClaim: iss, reason: "not an access token of this server")
        }
        try aud.verifyIntendedAudience(includes: Self.audience)
    }
}
