import Foundation
import HMSSyncCore
import HMSTestSupport
import HTTPTypes
import HummingbirdTesting
import Testing
@testable import HMSServer

@Suite("CONTRACT §9.1: one route identity — every spelling of a path is the route it reaches")
struct RouteIdentityTests {
    /// Spellings Hummingbird's router sends to the `/v1/appointments/{id}` route.
    static func variants(_ id: String) -> [String] {
        ["/v1/appointments/\(id)", "//v1/appointments/\(id)", "/v1//appointments/\(id)", "/v1/appointments/\(id)/",
         "/v1/appointments//\(id)//"]
    }

    @Test("a patient-record read under any spelling is audited as the canonical route, with its patient",
          arguments: TestBackend.all)
    func variantsAreAudited(backend: TestBackend) async throws {
        try await TestServer(backend).run(.live) { api in
            let practice = try await api.practice()
            let booked = try await api.bookOK(practice.patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(0))
            for (index, path) in Self.variants(booked.id).enumerated() {
                let reply = try await api.request(
                    .get, path, token: practice.doctor.accessToken, headers: [.requestId: "variant-\(index)"])
                if reply.status.code == 200 {
                    let rows = try await api.all("/v1/admin/audit", token: practice.admin, of: AuditItem.self)
                    let row = try #require(rows.first { $0.requestId == "variant-\(index)" }, "no audit row for \(path)")
                    #expect(row.action == "GET /v1/appointments/{id}", "\(path)")
                    #expect(row.entityId == booked.id && row.patientId == practice.patient.id, "\(path)")
                    #expect(row.actorId == practice.doctor.id)
                } else {
                    #expect(reply.status.code == 404, "\(path) is neither served as the route nor refused")
                }
            }
        }
    }

    @Test("logins under any spelling of the path share the login rate-limit group", arguments: TestBackend.all)
    func variantsShareTheLimit(backend: TestBackend) async throws {
        // 60 a minute: the login group gets 6
        try await TestServer(backend) { $0.rateLimit = 60 }.run(.live) { api in
            let paths = ["/v1/auth/login", "//v1/auth/login", "/v1//auth/login", "/v1/auth/login/", "/v1/auth//login",
                         "/v1/auth/login//"]
            // a different account each time, so the per-account throttle stays out of it
            for path in paths {
                let reply = try await api.request(.post, path, json: ["email": TestAccounts.uniqueEmail(), "password": "wrong-password"])
                #expect(reply.status.code == 401, "\(path)")
            }
            let seventh = try await api.request(.post, "//v1/auth/login", json: ["email": TestAccounts.uniqueEmail(), "password": "wrong-pass"])
            expectError(seventh, 429, "RATE_LIMITED")
            #expect(seventh.headers[.retryAfter] != nil)
        }
    }

    @Test("every /v1 answer, success or refusal, carries Cache-Control: no-store and nosniff",
          arguments: TestBackend.all, [
            (HTTPRequest.Method.get, "/v1/clinic", 200), (.get, "/v1/me", 401), (.get, "/v1/no-such-thing", 404),
            (.put, "/v1/appointments", 405), (.post, "/v1/auth/login", 400), (.get, "//v1/clinic/", 200),
          ])
    func securityHeaders(backend: TestBackend, _ row: (HTTPRequest.Method, String, Int)) async throws {
        let (method, path, status) = row
        try await TestServer(backend).run(.live) { api in
            let reply = try await api.request(method, path, body: method == .post ? "{" : nil)
            #expect(reply.status.code == status)
            #expect(reply.headers[.cacheControl] == "no-store")
            #expect(reply.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
        }
    }

    @Test("a 405 is refused through the /v1 group: audited by its route, with Allow", arguments: TestBackend.all)
    func methodNotAllowedIsAudited(backend: TestBackend) async throws {
        try await TestServer(backend).run(.live) { api in
            let admin = try await api.adminToken()
            let reply = try await api.request(.delete, "/v1//appointments/", token: admin, headers: [.requestId: "del-1"])
            expectError(reply, 405, "METHOD_NOT_ALLOWED")
            #expect(reply.headers[.allow] == "GET, POST")
            let rows = try await api.all("/v1/admin/audit", token: admin, of: AuditItem.self)
            let row = try #require(rows.first { $0.requestId == "del-1" })
            #expect(row.action == "DELETE /v1/appointments" && row.outcome == "METHOD_NOT_ALLOWED")
        }
    }

    @Test("a request no route matches is audited without its raw path", arguments: TestBackend.all)
    func unmatchedRequestsAreAuditedWithoutTheirPath(backend: TestBackend) async throws {
        try await TestServer(backend).run(.live) { api in
            let admin = try await api.adminToken()
            let secretish = String(repeating: "Jane-Doe-", count: 50)
            let reply = try await api.request(.get, "/v1/\(secretish)", headers: [.requestId: "unmatched-1"])
            expectError(reply, 404, "NOT_FOUND")
            #expect(!reply.text.contains("Jane-Doe"))
            let rows = try await api.all("/v1/admin/audit", token: admin, of: AuditItem.self)
            let row = try #require(rows.first { $0.requestId == "unmatched-1" })
            #expect(row.action == "GET (no route)" && row.outcome == "NOT_FOUND")
        }
    }
}
