import Foundation
import HMSSyncCore
import HMSTestSupport
import HTTPTypes
import Testing
@testable import HMSServer

@Suite("CONTRACT §9.1: password change, the password rule, session lifetime, refresh replay, bounded hashing")
struct SessionHardeningTests {
    // MARK: POST /v1/me/password

    @Test("a password change is 204; every other login's refresh and access tokens are 401, the caller's own stay",
          arguments: TestBackend.all)
    func passwordChangeRevokesOtherFamilies(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let patient = try await api.registerPatient()
            let other = try await api.login(patient.user.email, patient.password)
            let reply = try await api.post(
                "/v1/me/password", token: patient.accessToken,
                json: ["currentPassword": patient.password, "newPassword": "a-brand-new-password"])
            #expect(reply.status == .noContent, "\(reply.text)")

            expectError(try await api.get("/v1/me", token: other.accessToken), 401, "UNAUTHENTICATED")
            expectError(
                try await api.post("/v1/auth/refresh", json: ["refreshToken": other.refreshToken]), 401, "UNAUTHENTICATED")
            #expect(try await api.get("/v1/me", token: patient.accessToken).status == .ok)
            let own: TokenPair = try expectOK(
                try await api.post("/v1/auth/refresh", json: ["refreshToken": patient.refreshToken]))
            #expect(try await api.get("/v1/me", token: own.accessToken).status == .ok)

            expectError(
                try await api.post("/v1/auth/login", json: ["email": patient.user.email, "password": patient.password]),
                401, "INVALID_CREDENTIALS")
            #expect(try await api.login(patient.user.email, "a-brand-new-password").user.id == patient.id)
        }
    }

    @Test("a wrong current password is 401 INVALID_CREDENTIALS and changes nothing", arguments: TestBackend.all)
    func wrongCurrentPassword(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let patient = try await api.registerPatient()
            let other = try await api.login(patient.user.email, patient.password)
            let reply = try await api.post(
                "/v1/me/password", token: patient.accessToken,
                json: ["currentPassword": "not-the-password", "newPassword": "a-brand-new-password"])
            expectError(reply, 401, "INVALID_CREDENTIALS")
            #expect(try await api.get("/v1/me", token: other.accessToken).status == .ok)
            #expect(try await api.login(patient.user.email, patient.password).user.id == patient.id)
        }
    }

    @Test("the new password follows the password rule: 400 VALIDATION on newPassword, nothing changed",
          arguments: TestBackend.all, ["short77", String(repeating: "p", count: 73), "password\u{0}suffix"])
    func newPasswordFollowsRule(backend: TestBackend, newPassword: String) async throws {
        try await TestServer(backend).run { api in
            let patient = try await api.registerPatient()
            let reply = try await api.post(
                "/v1/me/password", token: patient.accessToken,
                json: ["currentPassword": patient.password, "newPassword": newPassword])
            expectError(reply, 400, "VALIDATION", field: "newPassword")
            #expect(!reply.text.contains(newPassword), "the password is not echoed")
            #expect(try await api.login(patient.user.email, patient.password).user.id == patient.id)
        }
    }

    @Test("a login password holding NUL never matches, though bcrypt would stop reading at the NUL",
          arguments: TestBackend.all)
    func nulNeverMatches(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let patient = try await api.registerPatient()
            let reply = try await api.post(
                "/v1/auth/login", json: ["email": patient.user.email, "password": patient.password + "\u{0}anything"])
            expectError(reply, 401, "INVALID_CREDENTIALS")
        }
    }

    @Test("a password change needs a signed-in caller: 401 UNAUTHENTICATED without a token", arguments: TestBackend.all)
    func passwordChangeNeedsToken(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let reply = try await api.post(
                "/v1/me/password", json: ["currentPassword": "whatever-1", "newPassword": "whatever-2"])
            expectError(reply, 401, "UNAUTHENTICATED")
        }
    }

    // MARK: the password rule

    /// Passwords at and around the rule's edges: 8 to 72 UTF-8 bytes, no NUL.
    static let passwords: [(password: String, accepted: Bool)] = [
        ("1234567", false),
        ("12345678", true),
        ("éééé", true),  // four characters, eight bytes
        (String(repeating: "p", count: 72), true),
        (String(repeating: "p", count: 73), false),
        (String(repeating: "€", count: 24), true),  // 72 bytes
        (String(repeating: "€", count: 25), false),  // 75 bytes, though only 25 characters
        ("pass\u{0}word-long", false),
    ]

    @Test("registration takes passwords of 8 to 72 UTF-8 bytes without NUL; others are 400 VALIDATION on password",
          arguments: TestBackend.all, passwords)
    func registrationPasswordRule(backend: TestBackend, _ row: (String, Bool)) async throws {
        let (password, accepted) = row
        try await TestServer(backend).run { api in
            let email = TestAccounts.uniqueEmail()
            let reply = try await api.post(
                "/v1/auth/register", json: ["name": "Rule Tester", "email": email, "password": password])
            if accepted {
                #expect(reply.status == .created, "\(reply.text)")
                #expect(try await api.login(email, password).user.email == email)
            } else {
                expectError(reply, 400, "VALIDATION", field: "password")
            }
        }
    }

    @Test("admin doctor creation refuses a password over 72 bytes instead of letting bcrypt cut it",
          arguments: TestBackend.all)
    func noSilentTruncation(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let admin = try await api.adminToken()
            let long = String(repeating: "x", count: 72) + "-and-more"
            let doctor = try await api.post(
                "/v1/admin/doctors", token: admin,
                json: ["name": "Dr Long", "email": TestAccounts.uniqueEmail("doctor"), "password": long, "specialty": "surgery"])
            expectError(doctor, 400, "VALIDATION", field: "password")
        }
    }

    // MARK: HMS_SESSION_MAX_AGE

    @Test("a token family ends HMS_SESSION_MAX_AGE after its login, however often refreshed: refresh and access are 401",
          arguments: TestBackend.all)
    func sessionMaxAge(backend: TestBackend) async throws {
        let server = try await TestServer(backend) {
            $0.sessionMaxAge = 3_600
            $0.accessTTL = 86_400
        }
        let patient = try await server.run { api in try await api.registerPatient() }
        let refreshed = try await server.restarted { $0.clockOffset = 1_800 }.run { api in
            let pair: TokenPair = try expectOK(
                try await api.post("/v1/auth/refresh", json: ["refreshToken": patient.refreshToken]))
            #expect(try await api.get("/v1/me", token: pair.accessToken).status == .ok)
            return pair
        }
        try await server.restarted { $0.clockOffset = 3_700 }.run { api in
            expectError(try await api.get("/v1/me", token: refreshed.accessToken), 401, "UNAUTHENTICATED")
            expectError(try await api.get("/v1/me", token: patient.accessToken), 401, "UNAUTHENTICATED")
            expectError(
                try await api.post("/v1/auth/refresh", json: ["refreshToken": refreshed.refreshToken]),
                401, "UNAUTHENTICATED")
            // a new login is a new family with its own lifetime
            let fresh = try await api.login(patient.user.email, patient.password)
            #expect(try await api.get("/v1/me", token: fresh.accessToken).status == .ok)
        }
    }

    @Test("HMS_SESSION_MAX_AGE defaults to 90 days; a bad value stops the start naming it")
    func sessionMaxAgeSetting() throws {
        #expect(try Config.resolve { _ in nil }.sessionMaxAge == 7_776_000)
        #expect(try Config.resolve { $0 == "HMS_SESSION_MAX_AGE" ? "86400" : nil }.sessionMaxAge == 86_400)
        let error = #expect(throws: ConfigError.self) {
            try Config.resolve { $0 == "HMS_SESSION_MAX_AGE" ? "soon" : nil }
        }
        #expect(error?.setting == "HMS_SESSION_MAX_AGE")
    }

    // MARK: refresh replay inside the grace window

    /// Refreshes each token once; answers the pairs of those that still worked (401 for the rest).
    static func survivors(_ api: API, _ tokens: [String]) async throws -> [TokenPair] {
        var live: [TokenPair] = []
        for token in tokens {
            let reply = try await api.post("/v1/auth/refresh", json: ["refreshToken": token])
            if reply.status == .ok {
                live.append(try reply.decode(TokenPair.self))
            } else {
                expectError(reply, 401, "UNAUTHENTICATED")
            }
        }
        return live
    }

    @Test("a replay within the grace never forks the family: of both successors at most one refreshes, and it keeps working",
          arguments: TestBackend.all)
    func replayDoesNotFork(backend: TestBackend) async throws {
        try await TestServer(backend, { $0.refreshGrace = 30 }).run { api in
            let patient = try await api.registerPatient()
            let first: TokenPair = try expectOK(
                try await api.post("/v1/auth/refresh", json: ["refreshToken": patient.refreshToken]))
            let replay: TokenPair = try expectOK(
                try await api.post("/v1/auth/refresh", json: ["refreshToken": patient.refreshToken]))

            let live = try await Self.survivors(api, [first.refreshToken, replay.refreshToken])
            #expect(live.count == 1)
            let survivor = try #require(live.first)
            let next: TokenPair = try expectOK(
                try await api.post("/v1/auth/refresh", json: ["refreshToken": survivor.refreshToken]))
            #expect(try await api.get("/v1/me", token: next.accessToken).status == .ok)
        }
    }

    @Test("two refreshes of one token at once leave one live chain", arguments: TestBackend.all)
    func concurrentRefreshes(backend: TestBackend) async throws {
        try await TestServer(backend, { $0.refreshGrace = 30 }).run { api in
            let patient = try await api.registerPatient()
            async let a = api.post("/v1/auth/refresh", json: ["refreshToken": patient.refreshToken])
            async let b = api.post("/v1/auth/refresh", json: ["refreshToken": patient.refreshToken])
            let pairs: [TokenPair] = [try expectOK(try await a), try expectOK(try await b)]
            let live = try await Self.survivors(api, pairs.map(\.refreshToken))
            #expect(live.count == 1)
        }
    }

    @Test("a replay within the grace after the successor was itself refreshed still leaves one live refresh token",
          arguments: TestBackend.all)
    func replayAfterChainMovedOn(backend: TestBackend) async throws {
        try await TestServer(backend, { $0.refreshGrace = 30 }).run { api in
            let patient = try await api.registerPatient()
            let child: TokenPair = try expectOK(
                try await api.post("/v1/auth/refresh", json: ["refreshToken": patient.refreshToken]))
            let grandchild: TokenPair = try expectOK(
                try await api.post("/v1/auth/refresh", json: ["refreshToken": child.refreshToken]))
            let replay: TokenPair = try expectOK(
                try await api.post("/v1/auth/refresh", json: ["refreshToken": patient.refreshToken]))
            let live = try await Self.survivors(api, [grandchild.refreshToken, replay.refreshToken])
            #expect(live.count == 1)
        }
    }

    // MARK: registration and hashing

    /// `hms_password_hashes_total{op}` of the server, 0 when not yet counted.
    static func hashes(_ api: API, _ op: String = "hash") async throws -> Double {
        PrometheusText(try await api.get("/metrics").text).value("hms_password_hashes_total", ["op": op]) ?? 0
    }

    @Test("a registration with a taken email (any case) is 409 DUPLICATE without running bcrypt; a new one hashes once",
          arguments: TestBackend.all)
    func duplicateBeforeHashing(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let patient = try await api.registerPatient()
            let before = try await Self.hashes(api)
            for email in [patient.user.email, patient.user.email.uppercased()] {
                let reply = try await api.post(
                    "/v1/auth/register", json: ["name": "Copy Cat", "email": email, "password": "another-password"])
                expectError(reply, 409, "DUPLICATE", field: "email")
            }
            #expect(try await Self.hashes(api) == before)

            let fresh = try await api.post(
                "/v1/auth/register", json: ["name": "New One", "email": TestAccounts.uniqueEmail(), "password": "another-password"])
            #expect(fresh.status == .created)
            #expect(try await Self.hashes(api) == before + 1)
        }
    }

    @Test("a login flood at a high bcrypt cost: 2 × cores run, 64 wait, the rest get 429 RATE_LIMITED with Retry-After: 1, never 503",
          .timeLimit(.minutes(2)), arguments: TestBackend.all)
    func boundedHashing(backend: TestBackend) async throws {
        try await TestServer(backend, { $0.bcryptCost = 10 }).run { api in
            let admitted = 2 * ProcessInfo.processInfo.activeProcessorCount + 64
            let started = ContinuousClock.now
            // unknown emails, one each, so the per-account throttle stays out of the way
            let replies = try await withThrowingTaskGroup(of: Reply.self) { group in
                for _ in 0..<(admitted + 40) {
                    group.addTask {
                        try await api.post("/v1/auth/login", json: ["email": TestAccounts.uniqueEmail("nobody"), "password": "guess-1234"])
                    }
                }
                var replies: [Reply] = []
                for try await reply in group { replies.append(reply) }
                return replies
            }
            let refused = replies.filter { $0.status.code == 429 }
            let codes = Set(replies.map(\.status.code))
            #expect(codes.isSubset(of: [401, 429]), "\(codes)")
            #expect(!refused.isEmpty, "the flood went past the queue")
            #expect(replies.count - refused.count >= admitted, "every admitted check ran to its answer")
            for reply in refused {
                expectError(reply, 429, "RATE_LIMITED")
                #expect(reply.headers[.retryAfter] == "1")
            }
            let metrics = PrometheusText(try await api.get("/metrics").text)
            #expect(metrics.value("hms_password_hash_refused_total", ["op": "verify"]) == Double(refused.count))
            #expect(ContinuousClock.now - started < .seconds(90))
        }
    }

    @Test("the hash gate lets `concurrency` in, queues up to its limit in order, and refuses the rest at once")
    func hashGate() async throws {
        let gate = HashGate(concurrency: 2, queueLimit: 3)
        try await gate.enter()
        try await gate.enter()
        let order = OrderLog()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<3 {
                group.addTask {
                    try await gate.enter()
                    await order.append(index)
                }
                // each waiter queues before the next starts, so the order is known
                #expect(try await eventually(within: .seconds(5)) { gate.load.waiting == index + 1 })
            }
            await #expect(throws: RateLimitedError.self) { try await gate.enter() }
            #expect(gate.load.inside == 2 && gate.load.waiting == 3)
            for released in 1...3 {
                gate.leave()
                #expect(try await eventually(within: .seconds(5)) { await order.values.count == released })
            }
            try await group.waitForAll()
        }
        #expect(await order.values == [0, 1, 2])
        #expect(gate.load.inside == 2 && gate.load.waiting == 0)
    }
}

/// Indices in the order they were appended, from any task.
actor OrderLog {
    private(set) var values: [Int] = []
    func append(_ value: Int) { values.append(value) }
}
