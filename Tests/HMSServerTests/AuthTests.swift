import Foundation
import HMSSyncCore
import HMSTestSupport
import HTTPTypes
import Testing
@testable import HMSServer

@Suite("CONTRACT §2: register, login, me, refresh, logout")
struct AuthTests {
    @Test("register creates a patient: 201 with {id, name, email, role}", arguments: TestBackend.all)
    func register(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let email = TestAccounts.uniqueEmail()
            let reply = try await api.post(
                "/v1/auth/register", json: ["name": "  Ann Smith ", "email": email, "password": "12345678"])
            let user: User = try expectOK(reply, 201)
            #expect(user.name == "Ann Smith")
            #expect(user.email == email)
            #expect(user.role == .patient)
            #expect(user.id == user.id.lowercased() && UUID(uuidString: user.id) != nil)
            #expect(Set(try reply.object().keys) == ["id", "name", "email", "role"])
        }
    }

    @Test("an email is unique in any case: 409 DUPLICATE",
          arguments: TestBackend.all, [("ann@example.com", "ann@example.com"), ("Ann@Example.com", "ann@example.COM"),
                      ("bob@example.com", "BOB@EXAMPLE.COM")])
    func duplicateEmail(backend: TestBackend, _ row: (String, String)) async throws {
        let (first, second) = row
        try await TestServer(backend).run { api in
            let body: JSON = ["name": "Ann", "email": first, "password": "password1"]
            #expect(try await api.post("/v1/auth/register", json: body).status == .created)
            let again = try await api.post(
                "/v1/auth/register", json: ["name": "Other", "email": second, "password": "password2"])
            expectError(again, 409, "DUPLICATE")
        }
    }

    @Test("a bad registration is 400 VALIDATION naming the field",
          arguments: TestBackend.all, [
              (["name": "Ann", "email": "ann@example.com", "password": "1234567"] as JSON, "password"),
              (["name": "Ann", "email": "ann@example.com", "password": ""], "password"),
              (["name": "Ann", "email": "not-an-email", "password": "password1"], "email"),
              (["name": "Ann", "email": "ann@nodot", "password": "password1"], "email"),
              (["name": "   ", "email": "ann@example.com", "password": "password1"], "name"),
              (["email": "ann@example.com", "password": "password1"], "name"),
          ])
    func badRegistration(backend: TestBackend, _ row: (JSON, String)) async throws {
        let (body, field) = row
        try await TestServer(backend).run { api in
            expectError(try await api.post("/v1/auth/register", json: body), 400, "VALIDATION", field: field)
        }
    }

    @Test("login answers {accessToken, refreshToken, tokenType, expiresIn, user}; email in any case",
          arguments: TestBackend.all)
    func login(backend: TestBackend) async throws {
        try await TestServer(backend, { $0.accessTTL = 600 }).run { api in
            let patient = try await api.registerPatient("Ann")
            let reply = try await api.post(
                "/v1/auth/login", json: ["email": patient.user.email.uppercased(), "password": patient.password])
            let pair: TokenPair = try expectOK(reply)
            #expect(pair.tokenType == "Bearer")
            #expect(pair.expiresIn == 600)
            #expect(pair.user == patient.user)
            #expect(!pair.accessToken.isEmpty && !pair.refreshToken.isEmpty)
            #expect(Set(try reply.object().keys) == ["accessToken", "refreshToken", "tokenType", "expiresIn", "user"])
        }
    }

    @Test("a wrong email and a wrong password get the same INVALID_CREDENTIALS answer", arguments: TestBackend.all)
    func invalidCredentials(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let patient = try await api.registerPatient()
            let wrongPassword = try await api.post(
                "/v1/auth/login", json: ["email": patient.user.email, "password": "not-the-password"])
            let wrongEmail = try await api.post(
                "/v1/auth/login", json: ["email": TestAccounts.uniqueEmail("nobody"), "password": patient.password])
            let first = expectError(wrongPassword, 401, "INVALID_CREDENTIALS")
            let second = expectError(wrongEmail, 401, "INVALID_CREDENTIALS")
            #expect(first == second)
        }
    }

    @Test("GET /v1/me answers the login's user", arguments: TestBackend.all)
    func me(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let patient = try await api.registerPatient()
            let user: User = try expectOK(try await api.get("/v1/me", token: patient.accessToken))
            #expect(user == patient.user)
            let admin: User = try expectOK(try await api.get("/v1/me", token: try await api.adminToken()))
            #expect(admin.role == .admin && admin.email == TestAccounts.adminEmail)
        }
    }

    @Test("no token, or a header that is no bearer token, is 401 UNAUTHENTICATED",
          arguments: TestBackend.all, [nil, "Basic YWRtaW46YWRtaW4=", "Bearer", "Bearer ", "bearer x.y.z", "Bearer not-a-jwt"])
    func noToken(backend: TestBackend, header: String?) async throws {
        try await TestServer(backend).run { api in
            let reply = try await api.get("/v1/me", headers: header.map { [.authorization: $0] } ?? [:])
            expectError(reply, 401, "UNAUTHENTICATED")
        }
    }

    @Test("refresh rotates: a new pair in login's shape, and the new tokens work", arguments: TestBackend.all)
    func refreshRotates(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let patient = try await api.registerPatient()
            let pair: TokenPair = try expectOK(
                try await api.post("/v1/auth/refresh", json: ["refreshToken": patient.refreshToken]))
            #expect(pair.refreshToken != patient.refreshToken)
            #expect(pair.user == patient.user)
            #expect(pair.tokenType == "Bearer")
            let me: User = try expectOK(try await api.get("/v1/me", token: pair.accessToken))
            #expect(me == patient.user)
            let next: TokenPair = try expectOK(
                try await api.post("/v1/auth/refresh", json: ["refreshToken": pair.refreshToken]))
            #expect(next.refreshToken != pair.refreshToken)
        }
    }

    @Test("reusing a spent refresh token within the grace gives a new pair again", arguments: TestBackend.all)
    func reuseWithinGrace(backend: TestBackend) async throws {
        try await TestServer(backend, { $0.refreshGrace = 30 }).run { api in
            let patient = try await api.registerPatient()
            let first: TokenPair = try expectOK(
                try await api.post("/v1/auth/refresh", json: ["refreshToken": patient.refreshToken]))
            let retry: TokenPair = try expectOK(
                try await api.post("/v1/auth/refresh", json: ["refreshToken": patient.refreshToken]))
            #expect(retry.refreshToken != first.refreshToken)
            #expect(try await api.get("/v1/me", token: retry.accessToken).status == .ok)
            #expect(try await api.post("/v1/auth/refresh", json: ["refreshToken": retry.refreshToken]).status == .ok)
        }
    }

    @Test("reusing a spent refresh token after the grace revokes its whole family", arguments: TestBackend.all)
    func reuseRevokesFamily(backend: TestBackend) async throws {
        try await TestServer(backend, { $0.refreshGrace = 0 }).run { api in
            let patient = try await api.registerPatient()
            let other = try await api.login(patient.user.email, patient.password)
            let child: TokenPair = try expectOK(
                try await api.post("/v1/auth/refresh", json: ["refreshToken": patient.refreshToken]))

            let reuse = try await api.post("/v1/auth/refresh", json: ["refreshToken": patient.refreshToken])
            expectError(reuse, 401, "UNAUTHENTICATED")
            let childReply = try await api.post("/v1/auth/refresh", json: ["refreshToken": child.refreshToken])
            expectError(childReply, 401, "UNAUTHENTICATED")
            expectError(try await api.get("/v1/me", token: child.accessToken), 401, "UNAUTHENTICATED")
            // another login is another family, untouched
            #expect(try await api.get("/v1/me", token: other.accessToken).status == .ok)
            #expect(try await api.post("/v1/auth/refresh", json: ["refreshToken": other.refreshToken]).status == .ok)
        }
    }

    @Test("logout is 204; then its refresh token and its access token are refused", arguments: TestBackend.all)
    func logout(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let patient = try await api.registerPatient()
            let other = try await api.login(patient.user.email, patient.password)
            let reply = try await api.post("/v1/auth/logout", json: ["refreshToken": patient.refreshToken])
            #expect(reply.status == .noContent)
            expectError(
                try await api.post("/v1/auth/refresh", json: ["refreshToken": patient.refreshToken]), 401,
                "UNAUTHENTICATED")
            expectError(try await api.get("/v1/me", token: patient.accessToken), 401, "UNAUTHENTICATED")
            #expect(try await api.get("/v1/me", token: other.accessToken).status == .ok)
            // logging out again, or with a token never issued, changes nothing
            #expect(try await api.post("/v1/auth/logout", json: ["refreshToken": patient.refreshToken]).status == .noContent)
            #expect(try await api.post("/v1/auth/logout", json: ["refreshToken": "never-issued"]).status == .noContent)
        }
    }

    @Test("an access token is no refresh token, and a refresh token is no access token", arguments: TestBackend.all)
    func tokenKindsStayApart(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let patient = try await api.registerPatient()
            expectError(
                try await api.post("/v1/auth/refresh", json: ["refreshToken": patient.accessToken]), 401,
                "UNAUTHENTICATED")
            expectError(try await api.get("/v1/me", token: patient.refreshToken), 401, "UNAUTHENTICATED")
        }
    }

    @Test("the admin is seeded once; the password setting is used only when it is created", arguments: TestBackend.all)
    func adminSeededOnce(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run { api in
            _ = try await api.login(TestAccounts.adminEmail, TestAccounts.adminPassword)
        }
        let again = server.restarted { $0.adminPassword = "a-changed-password" }
        try await again.run { api in
            _ = try await api.login(TestAccounts.adminEmail, TestAccounts.adminPassword)
            let changed = try await api.post(
                "/v1/auth/login", json: ["email": TestAccounts.adminEmail, "password": "a-changed-password"])
            expectError(changed, 401, "INVALID_CREDENTIALS")
        }
        #expect(try await server.database.scalar("SELECT count(*) FROM users WHERE role = 'admin'") == 1)
    }
}
