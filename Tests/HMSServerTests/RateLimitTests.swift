import Foundation
import HMSSyncCore
import HMSTestSupport
import HTTPTypes
import NIOCore
import Testing
@testable import HMSServer

@Suite("CONTRACT §1, §7: rate limits per client and endpoint group")
struct RateLimitTests {
    @Test("with 60 a minute, a login flood is cut off after ~6 with 429 RATE_LIMITED and Retry-After; the API still answers",
          arguments: TestBackend.all)
    func loginFlood(backend: TestBackend) async throws {
        try await TestServer(backend, { $0.rateLimit = 60 }).run { api in
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

    @Test("service endpoints are never limited", arguments: TestBackend.all)
    func serviceEndpointsUnlimited(backend: TestBackend) async throws {
        try await TestServer(backend, { $0.rateLimit = 1 }).run { api in
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

@Suite("CONTRACT §9.1: the rate limiter's memory is bounded but never reset wholesale; IPv6 by /64")
struct RateLimiterBoundsTests {
    @Test("a limited client stays limited while thousands of new addresses pass through a full map")
    func floodOfAddressesDoesNotResetALimitedClient() {
        let limiter = RateLimiter(perMinute: 60, maxBuckets: 100)
        let now: TimeInterval = 1_000_000
        for _ in 0..<6 { #expect(limiter.take(client: "198.51.100.7", group: .login, now: now) == nil) }
        #expect(limiter.take(client: "198.51.100.7", group: .login, now: now) != nil)
        for index in 0..<5_000 {
            _ = limiter.take(client: "203.0.113.\(index % 250).\(index / 250)", group: .api, now: now + 1)
            #expect(limiter.count <= limiter.maxBuckets)
        }
        // still within the same minute: the flooded client's empty bucket was kept
        #expect(limiter.take(client: "198.51.100.7", group: .login, now: now + 2) != nil)
    }

    @Test("buckets that have refilled are the first to go")
    func refilledBucketsGoFirst() {
        let limiter = RateLimiter(perMinute: 60, maxBuckets: 10)
        for index in 0..<10 { _ = limiter.take(client: "old-\(index)", group: .api, now: 0) }
        #expect(limiter.count == 10)
        _ = limiter.take(client: "new", group: .api, now: 120)
        #expect(limiter.count == 1)
    }

    @Test("IPv6 clients are keyed by their /64; IPv4-mapped addresses by their IPv4 address",
          arguments: [
            ("2001:db8:1:2:aaaa::1", "2001:db8:1:2:ffff:ffff:ffff:fffe", true),
            ("2001:db8:1:2::1", "2001:db8:1:3::1", false),
            ("::ffff:192.0.2.1", "192.0.2.1", true),
            ("192.0.2.1", "192.0.2.2", false),
          ])
    func ipv6Slash64(_ first: String, _ second: String, _ same: Bool) throws {
        let key = { (text: String) in ClientAddress.rateLimitKey(try SocketAddress(ipAddress: text, port: 443)) }
        #expect((try key(first) == key(second)) == same)
    }
}
