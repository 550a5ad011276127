import Foundation
import HMSSyncCore
import HMSTestSupport
import HTTPTypes
import Testing
@testable import HMSServer

@Suite("CONTRACT §9.1: failed logins are throttled per account as well as per IP")
struct LoginThrottleTests {
    /// `count` logins for `email` with `password`, one after another; their statuses.
    static func logins(_ api: API, _ email: String, _ password: String, count: Int) async throws -> [Int] {
        var statuses: [Int] = []
        for _ in 0..<count {
            statuses.append(try await api.post("/v1/auth/login", json: ["email": email, "password": password]).status.code)
        }
        return statuses
    }

    @Test("after 5 failures for an account its logins are 429 RATE_LIMITED, even with the right password, with Retry-After up to 15 min",
          arguments: TestBackend.all)
    func fiveFailuresThrottle(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let patient = try await api.registerPatient()
            #expect(try await Self.logins(api, patient.user.email, "wrong-password", count: 5) == Array(repeating: 401, count: 5))
            let reply = try await api.post(
                "/v1/auth/login", json: ["email": patient.user.email, "password": patient.password])
            expectError(reply, 429, "RATE_LIMITED")
            let retryAfter = try #require(reply.headers[.retryAfter].flatMap { Int($0) })
            #expect((880...900).contains(retryAfter), "until the oldest failure leaves the 15-minute window")

            // the same account however the email is typed
            let typed = "  " + patient.user.email.uppercased() + " "
            expectError(try await api.post("/v1/auth/login", json: ["email": typed, "password": patient.password]), 429, "RATE_LIMITED")
            // other accounts, and the signed-in session, are untouched
            let other = try await api.registerPatient()
            #expect(try await api.login(other.user.email, other.password).user.id == other.id)
            #expect(try await api.get("/v1/me", token: patient.accessToken).status == .ok)
        }
    }

    @Test("an unknown email is throttled exactly like a known one, so the answers reveal nothing",
          arguments: TestBackend.all)
    func unknownEmailLooksTheSame(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let patient = try await api.registerPatient()
            let known = try await Self.logins(api, patient.user.email, "wrong-password", count: 7)
            let unknown = try await Self.logins(api, TestAccounts.uniqueEmail("nobody"), "wrong-password", count: 7)
            #expect(known == [401, 401, 401, 401, 401, 429, 429])
            #expect(unknown == known)
        }
    }

    @Test("a successful login clears the count", arguments: TestBackend.all)
    func successClears(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let patient = try await api.registerPatient()
            let email = patient.user.email
            #expect(try await Self.logins(api, email, "wrong-password", count: 4) == Array(repeating: 401, count: 4))
            #expect(try await api.login(email, patient.password).user.id == patient.id)
            #expect(try await Self.logins(api, email, "wrong-password", count: 5) == Array(repeating: 401, count: 5))
            expectError(
                try await api.post("/v1/auth/login", json: ["email": email, "password": patient.password]), 429, "RATE_LIMITED")
        }
    }

    @Test("concurrent guesses can't overshoot: of 12 wrong logins at once, at most 5 are checked",
          arguments: TestBackend.all)
    func concurrentGuesses(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let patient = try await api.registerPatient()
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<12 {
                    group.addTask {
                        try await api.post(
                            "/v1/auth/login", json: ["email": patient.user.email, "password": "wrong-password"]
                        ).status.code
                    }
                }
                var statuses: [Int] = []
                for try await status in group { statuses.append(status) }
                return statuses
            }
            #expect(statuses.filter { $0 == 401 }.count <= 5, "\(statuses)")
            #expect(statuses.allSatisfy { $0 == 401 || $0 == 429 }, "\(statuses)")
        }
    }

    @Test("wrong current passwords at POST /v1/me/password count as failed logins of the account",
          arguments: TestBackend.all)
    func passwordChangeCounts(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let patient = try await api.registerPatient()
            for _ in 0..<5 {
                let reply = try await api.post(
                    "/v1/me/password", token: patient.accessToken,
                    json: ["currentPassword": "a-wrong-guess", "newPassword": "new-password-1"])
                expectError(reply, 401, "INVALID_CREDENTIALS")
            }
            let reply = try await api.post(
                "/v1/me/password", token: patient.accessToken,
                json: ["currentPassword": patient.password, "newPassword": "new-password-1"])
            expectError(reply, 429, "RATE_LIMITED")
            expectError(
                try await api.post("/v1/auth/login", json: ["email": patient.user.email, "password": patient.password]),
                429, "RATE_LIMITED")
        }
    }

    // MARK: the window and the bounded map, with the clock passed in

    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    static func fail(_ throttle: LoginThrottle, _ key: String, at date: Date) throws {
        try throttle.begin(key, now: date)
        throttle.end(key, failed: true, now: date)
    }

    /// The wait `begin` answers at `date`, nil when an attempt may start (it is ended again unchanged).
    static func wait(_ throttle: LoginThrottle, _ key: String, at date: Date) -> Int? {
        do {
            try throttle.begin(key, now: date)
            throttle.end(key, failed: nil, now: date)
            return nil
        } catch {
            return error.retryAfterSeconds
        }
    }

    @Test("logins open again when the oldest failure leaves the 15-minute window, one failure at a time")
    func windowSlides() throws {
        let throttle = LoginThrottle()
        let key = LoginThrottle.key(email: "someone@example.com")
        for minute in 0..<5 { try Self.fail(throttle, key, at: Self.start.addingTimeInterval(Double(minute) * 60)) }

        #expect(Self.wait(throttle, key, at: Self.start.addingTimeInterval(600)) == 300)
        #expect(Self.wait(throttle, key, at: Self.start.addingTimeInterval(899)) == 1)
        let reopened = Self.start.addingTimeInterval(900)
        #expect(Self.wait(throttle, key, at: reopened) == nil)
        // one more failure there closes it until the next-oldest (minute 1) leaves
        try Self.fail(throttle, key, at: reopened)
        #expect(Self.wait(throttle, key, at: reopened) == 60)
    }

    @Test("the map stays bounded without a wholesale reset: expired entries go first, then the tenth touched longest ago")
    func boundedMap() throws {
        let throttle = LoginThrottle(capacity: 100)
        let keys = (0..<100).map { LoginThrottle.key(email: "user\($0)@example.com") }
        for (index, key) in keys.enumerated() {
            for _ in 0..<5 { try Self.fail(throttle, key, at: Self.start.addingTimeInterval(Double(index))) }
        }
        #expect(throttle.count == 100)

        try Self.fail(throttle, LoginThrottle.key(email: "newcomer@example.com"), at: Self.start.addingTimeInterval(200))
        #expect((90...100).contains(throttle.count), "only the oldest tenth went")
        #expect(Self.wait(throttle, keys[0], at: Self.start.addingTimeInterval(201)) == nil, "the oldest was evicted")
        #expect(Self.wait(throttle, keys[99], at: Self.start.addingTimeInterval(201)) != nil, "recent ones stay throttled")

        // many newcomers never grow it past the bound
        for index in 0..<1_000 {
            try Self.fail(throttle, LoginThrottle.key(email: "flood\(index)@example.com"), at: Self.start.addingTimeInterval(300))
            #expect(throttle.count <= 100)
        }
    }

    @Test("a full map drops expired entries before anything still inside the window")
    func expiredGoFirst() throws {
        let throttle = LoginThrottle(capacity: 100)
        for index in 0..<99 {
            try Self.fail(throttle, LoginThrottle.key(email: "old\(index)@example.com"), at: Self.start)
        }
        let recent = LoginThrottle.key(email: "recent@example.com")
        for _ in 0..<5 { try Self.fail(throttle, recent, at: Self.start.addingTimeInterval(600)) }
        #expect(throttle.count == 100)

        try Self.fail(throttle, LoginThrottle.key(email: "late@example.com"), at: Self.start.addingTimeInterval(1_000))
        #expect(throttle.count == 2, "the 99 expired entries went, the recent one and the newcomer stay")
        #expect(Self.wait(throttle, recent, at: Self.start.addingTimeInterval(1_000)) != nil)
    }

    @Test("the key is the account key of the trimmed email (case folded, NFC)")
    func key() {
        let key = LoginThrottle.key(email: "jose@example.com")
        #expect(LoginThrottle.key(email: "  JOSE@Example.com\n") == key)
        #expect(LoginThrottle.key(email: "Jose\u{301}@example.com") == LoginThrottle.key(email: "jos\u{E9}@example.com"))
        #expect(LoginThrottle.key(email: "other@example.com") != key)
    }
}
