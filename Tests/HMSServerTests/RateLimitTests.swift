import Foundation
import HMSSyncCore
import HTTPTypes
import Testing
@testable import HMSServer

@Suite("CONTRACT §1, §7: rate limits per client and endpoint group")
struct RateLimitTests {
    @Test("with 60 a minute, a login flood is cut off after ~6 with 429 RATE_LIMITED and Retry-After; the API still answers")
    func loginFlood() async throws {
        try await TestServer({ $0.rateLimit = 60 }).run { api in
            let patient = try await api.registerPatient()
            var statuses: [Int] = []
            var limited: [Reply] = []
            for _ in 0..<12 {
                let reply = try await api.post(
                    "/v1/auth/login", json: ["email": patient.user.email, "password": patient.password])
                statuses.append(reply.status.code)
                if reply.status.code == 429 { limited.append(reply) }
            }
            let passed = statuses.prefix { $0 == 200 }.count
            #expect((5...7).contains(passed), "\(statuses)")
            #expect(statuses.dropFirst(passed).allSatisfy { $0 == 429 }, "\(statuses)")
            for reply in limited {
                expectError(reply, 429, "RATE_LIMITED")
                let retryAfter = try #require(reply.headers[.retryAfter].flatMap { Int($0) })
                #expect((1...60).contains(retryAfter))
            }

            // other groups keep their own budget
            let clinic = try await api.get("/v1/clinic")
            #expect(clinic.status == .ok)
            #expect(try await api.get("/v1/me", token: patient.accessToken).status == .ok)
            #expect(try await api.get("/healthz").status == .ok)
        }
    }

    @Test("service endpoints are never limited")
    func serviceEndpointsUnlimited() async throws {
        try await TestServer({ $0.rateLimit = 1 }).run { api in
            for _ in 0..<5 {
                #expect(try await api.get("/healthz").status == .ok)
                #expect(try await api.get("/readyz").status == .ok)
                #expect(try await api.get("/metrics").status == .ok)
            }
            #expect(try await api.get("/v1/clinic").status == .ok)
            expectError(try await api.get("/v1/clinic"), 429, "RATE_LIMITED")
        }
    }
}
