import Foundation
import HMSSyncCore
import HMSTestSupport
import HTTPTypes
import Testing
@testable import HMSServer

@Suite("CONTRACT §2: the algorithm is pinned, exp is enforced, forged tokens are 401")
struct TokenTests {
    /// A forged variant of a patient's real access token.
    enum Forgery: String, CaseIterable, Sendable {
        case roleRaisedToAdmin, subjectChanged, signatureCut, signatureAltered, algNone, otherSecret, expired

        func apply(to token: String, user: User) async throws -> String {
            let sid = try JWTText.part(token, 1)["sid"] as? String ?? ""
            switch self {
            case .roleRaisedToAdmin:
                return try JWTText.withPayload(token) { $0["role"] = "admin" }
            case .subjectChanged:
                return try JWTText.withPayload(token) { $0["sub"] = UUID().uuidString.lowercased() }
            case .signatureCut:
                return String(token[..<token.lastIndex(of: ".")!]) + "."
            case .signatureAltered:
                // the first character of the signature carries six whole bits
                let dot = token.index(after: token.lastIndex(of: ".")!)
                let first = token[dot] == "A" ? "B" : "A"
                return String(token[..<dot]) + first + String(token[token.index(after: dot)...])
            case .algNone:
                return try JWTText.unsigned(token)
            case .otherSecret:
                let other = await TokenService(secret: "another-secret-that-is-long-enough-0123", accessTTL: 900)
                return try await other.accessToken(for: user, familyId: sid, now: Date())
            case .expired:
                let same = await TokenService(secret: TestAccounts.jwtSecret, accessTTL: 60)
                return try await same.accessToken(for: user, familyId: sid, now: Date().addingTimeInterval(-3_600))
            }
        }
    }

    @Test("a forged or expired access token is 401 UNAUTHENTICATED", arguments: TestBackend.all, Forgery.allCases)
    func forged(backend: TestBackend, forgery: Forgery) async throws {
        try await TestServer(backend).run { api in
            let patient = try await api.registerPatient()
            let token = try await forgery.apply(to: patient.accessToken, user: patient.user)
            #expect(token != patient.accessToken)
            expectError(try await api.get("/v1/me", token: token), 401, "UNAUTHENTICATED")
            expectError(try await api.get("/v1/appointments", token: token), 401, "UNAUTHENTICATED")
        }
    }

    @Test("a token signed by hand with the server's key and a live exp is accepted (the forgeries' control)",
          arguments: TestBackend.all)
    func handSignedControl(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let patient = try await api.registerPatient()
            let sid = try #require(try JWTText.part(patient.accessToken, 1)["sid"] as? String)
            let service = await TokenService(secret: TestAccounts.jwtSecret, accessTTL: 60)
            let token = try await service.accessToken(for: patient.user, familyId: sid, now: Date())
            #expect(try await api.get("/v1/me", token: token).status == .ok)
            #expect(try JWTText.part(token, 0)["alg"] as? String == "HS256")
        }
    }

    @Test("an access token expires by the server's clock (accessTTL, then a restart with the clock moved on)",
          arguments: TestBackend.all)
    func expiresByServerClock(backend: TestBackend) async throws {
        let server = try await TestServer(backend) { $0.accessTTL = 60 }
        let patient = try await server.run { api in
            let patient = try await api.registerPatient()
            #expect(try await api.get("/v1/me", token: patient.accessToken).status == .ok)
            return patient
        }
        try await server.restarted { $0.clockOffset = 120 }.run { api in
            expectError(try await api.get("/v1/me", token: patient.accessToken), 401, "UNAUTHENTICATED")
            // the refresh token lives on: it gives a fresh access token
            let pair: TokenPair = try expectOK(
                try await api.post("/v1/auth/refresh", json: ["refreshToken": patient.refreshToken]))
            #expect(try await api.get("/v1/me", token: pair.accessToken).status == .ok)
        }
    }
}
