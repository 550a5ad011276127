import Foundation
import HMSSyncCore
import HMSTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import ServiceLifecycle
import Testing
@testable import HMSServer

@Suite("CONTRACT §1, §7: rate limits in normal use and per endpoint group")
struct RateLimitGroupTests {
    @Test("a normal client making 50 mixed calls at the default rate never sees a 429", arguments: TestBackend.all)
    func normalUse(backend: TestBackend) async throws {
        try await TestServer(backend) { $0.rateLimit = 600 }.run { api in
            var statuses: [Int] = []
            func note(_ reply: Reply) { statuses.append(reply.status.code) }

            let practice = try await api.practice()  // admin login, doctor, window, patient: 6 calls
            let patient = practice.patient.accessToken
            let clientId = UUID().uuidString.lowercased()
            let date = TestTime.dateString(practice.window.start)
            var refreshToken = practice.patient.refreshToken
            note(try await api.get("/v1/clinic"))
            for slot in 0..<4 {
                note(try await api.get("/v1/doctors", token: patient))
                note(try await api.get("/v1/doctors/\(practice.doctor.id)/slots?date=\(date)", token: patient))
                let booking = try await api.book(patient, doctorId: practice.doctor.id, start: practice.slot(slot))
                note(booking)
                let id = try booking.decode(Appointment.self).id
                note(try await api.get("/v1/appointments/\(id)", token: patient))
                note(try await api.get("/v1/appointments", token: patient))
                note(try await api.get("/v1/sync/pull?clientId=\(clientId)&schemaVersion=1", token: patient))
                note(try await api.post(
                    "/v1/sync/push", token: patient, json: ["clientId": clientId, "schemaVersion": 1, "mutations": [] as [String]]))
                note(try await api.get("/v1/me", token: patient))
                if slot % 2 == 1 { note(try await api.cancel(patient, id)) }
                note(try await api.get("/v1/admin/metrics", token: practice.admin))
                let refreshed = try await api.post("/v1/auth/refresh", json: ["refreshToken": refreshToken])
                note(refreshed)
                refreshToken = try refreshed.decode(TokenPair.self).refreshToken
            }
            note(try await api.post(
                "/v1/auth/login", json: ["email": practice.patient.user.email, "password": practice.patient.password]))
            #expect(statuses.count + 6 >= 50)
            #expect(statuses.allSatisfy { (200..<300).contains($0) }, "\(statuses)")
        }
    }

    @Test("a login flood does not block the API, sync, admin or other auth calls of the same address",
          arguments: TestBackend.all)
    func loginFloodIsolated(backend: TestBackend) async throws {
        try await TestServer(backend) { $0.rateLimit = 60 }.run { api in
            let practice = try await api.practice()
            var limited = false
            for _ in 0..<20 {
                let reply = try await api.post("/v1/auth/login", json: ["email": "x@example.com", "password": "wrong-password"])
                if reply.status.code == 429 { limited = true }
            }
            #expect(limited)
            let patient = practice.patient.accessToken
            #expect(try await api.get("/v1/doctors", token: patient).status == .ok)
            #expect(try await api.get("/v1/appointments", token: patient).status == .ok)
            #expect(try await api.get("/v1/admin/metrics", token: practice.admin).status == .ok)
            #expect(try await api.get(
                "/v1/sync/pull?clientId=\(UUID().uuidString.lowercased())&schemaVersion=1", token: patient).status == .ok)
            #expect(try await api.post(
                "/v1/auth/refresh", json: ["refreshToken": practice.patient.refreshToken]).status == .ok)
        }
    }

    @Test("an API flood does not block sync, admin or login", arguments: TestBackend.all)
    func apiFloodIsolated(backend: TestBackend) async throws {
        try await TestServer(backend) { $0.rateLimit = 60 }.run { api in
            let practice = try await api.practice()
            let patient = practice.patient.accessToken
            var statuses: [Int] = []
            for _ in 0..<70 { statuses.append(try await api.get("/v1/doctors", token: patient).status.code) }
            #expect(statuses.contains(429))
            expectError(try await api.get("/v1/doctors", token: patient), 429, "RATE_LIMITED")
            #expect(try await api.get(
                "/v1/sync/pull?clientId=\(UUID().uuidString.lowercased())&schemaVersion=1", token: patient).status == .ok)
            #expect(try await api.get("/v1/admin/metrics", token: practice.admin).status == .ok)
            #expect(try await api.post(
                "/v1/auth/login", json: ["email": practice.patient.user.email, "password": practice.patient.password])
                .status == .ok)
        }
    }
}

@Suite("CONTRACT §7: graceful shutdown")
struct ShutdownTests {
    /// The app on `port`, run in a service group as `hms-server` runs it, until `body` returns.
    struct Running {
        let group: ServiceGroup
        let task: Task<Void, any Error>
        let api: @Sendable (_ body: @escaping @Sendable (API) async throws -> Reply) async throws -> Reply

        init(_ config: Config, port: Int) async throws {
            var logger = Logger(label: "hms-test")
            logger.logLevel = .critical
            let app = try await buildApplication(config: config, logger: logger)
            let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
            self.group = group
            task = Task { try await group.run() }
            api = { body in
                try await TestClient.withClient(host: "127.0.0.1", port: port) { client in try await body(API(client, port: port)) }
            }
            let up = try await eventually(within: .seconds(15), every: .milliseconds(200)) { [api] in
                (try? await api { try await $0.get("/healthz") })?.status == .ok
            }
            try #require(up, "the server answered /healthz")
        }

        /// Triggers a graceful shutdown and answers how long the run took to end.
        func shutDown() async throws -> Duration {
            let started = ContinuousClock.now
            await group.triggerGracefulShutdown()
            try await task.value
            return ContinuousClock.now - started
        }
    }

    @Test("a graceful shutdown ends the server promptly while the sweep and the mailer are sleeping",
          arguments: TestBackend.all)
    func promptShutdown(backend: TestBackend) async throws {
        let port = try FreePort.next()
        let silentSMTP = try FreePort.next()  // nothing listens there
        let server = try await TestServer(backend) { config in
            config.port = port
            config.noShowInterval = 3_600
            config.smtpURL = "smtp://127.0.0.1:\(silentSMTP)"
            config.mailPollInterval = 3_600
        }
        let running = try await Running(server.config, port: port)
        // give the jobs time to reach their sleep
        try await Task.sleep(for: .milliseconds(500))

        let took = try await running.shutDown()
        // the jobs sleep for an hour: ending within seconds shows they woke (the bound leaves room
        // for a machine busy with the rest of the suite)
        #expect(took < .seconds(10), "shutdown took \(took)")
        let after = try? await running.api { try await $0.get("/healthz") }
        #expect(after == nil, "nothing answers after the shutdown")
    }

    @Test("a request in flight when the shutdown begins still gets its answer", arguments: TestBackend.all)
    func drainsInFlight(backend: TestBackend) async throws {
        let port = try FreePort.next()
        // a slow password check keeps the login in flight for a while
        let server = try await TestServer(backend) { config in
            config.port = port
            config.bcryptCost = 13
        }
        let running = try await Running(server.config, port: port)
        let login = Task {
            try await running.api { api in
                try await api.post("/v1/auth/login", json: ["email": TestAccounts.adminEmail, "password": TestAccounts.adminPassword])
            }
        }
        try await Task.sleep(for: .milliseconds(150))
        let took = try await running.shutDown()
        let reply = try await login.value
        #expect(reply.status == .ok, "the login answered \(reply.status) during the shutdown")
        #expect(took > .milliseconds(50), "the shutdown waited for the login (took \(took))")
        #expect(took < .seconds(5), "shutdown took \(took)")
    }
}
