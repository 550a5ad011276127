import Foundation
import HMSSyncCore
import HMSTestSupport
import Testing

/// Sign-in and session rules of the CLI: exit 1 for refused credentials, 4 when a login is
/// needed, `PENDING_INTENTS` when another user would take over a replica with pending work.
@Suite("hms-sync sessions")
struct SessionTests {
    @Test("login: stdin or --password; wrong password and unknown email are INVALID_CREDENTIALS, exit 1")
    func credentials() async throws {
        try await ServerProcess.with { server in
            let clinic = ClinicBuilder(rest: server.rest)
            let patient = try await clinic.addPatient("Rae")
            let cli = try CLI()

            let wrong = try await cli.run(["login", "--server", server.url, "--email", patient.email, "--json"], stdin: "not-the-password\n")
            wrong.expectFailure(1, code: "INVALID_CREDENTIALS")
            let unknown = try await cli.run(["login", "--server", server.url, "--email", "nobody@hms.test", "--password", "whatever1", "--json"])
            unknown.expectFailure(1, code: "INVALID_CREDENTIALS")
            let wrongText = try await cli.run(["login", "--server", server.url, "--email", patient.email, "--password", "nope-nope"])
            #expect(wrongText.status == 1 && wrongText.stdout.isEmpty && !wrongText.stderr.isEmpty, "\(wrongText)")
            try await cli.run(["whoami", "--json"]).expectFailure(4, code: "LOGIN_NEEDED")
            try await cli.run(["login", "--server", server.url, "--email", patient.email, "--json"])
                .expectFailure(2, code: "USAGE")  // no --password and nothing on stdin

            let byOption = try await cli.run(["login", "--server", server.url, "--email", patient.email, "--password", patient.password])
            byOption.expectSuccess()
            #expect(byOption.stdout.isEmpty, "login without --json writes its message to stderr")
            #expect(try await cli.run(["whoami", "--json"]).object["email"] as? String == patient.email)
            // a trailing slash names the same server
            let again = try await cli.run(
                ["login", "--server", server.url + "/", "--email", patient.email.uppercased(), "--json"], stdin: patient.password)
            again.expectSuccess()
            Shape.check(again.object, Shape.user, "login")
        }
    }

    @Test("a blacklisted doctor: sync and login are refused with BLACKLISTED, exit 1")
    func blacklisted() async throws {
        try await ServerProcess.with { server in
            let clinic = ClinicBuilder(rest: server.rest)
            let admin = try await clinic.admin()
            let doctor = try await clinic.addDoctor("Dr Eve", admin: admin)
            let cli = try CLI()
            try await cli.login(server, doctor).expectSuccess()
            try await cli.run(["sync", "--json"]).expectSuccess()
            _ = try await server.rest.object("POST", "/v1/admin/doctors/\(doctor.id)/blacklist", token: admin.accessToken)
            try await cli.run(["sync", "--json"]).expectFailure(1, code: "BLACKLISTED")
            try await cli.login(server, doctor).expectFailure(1, code: "BLACKLISTED")
        }
    }

    @Test("another user on a replica with pending intents: PENDING_INTENTS, exit 1; after sync the replica starts over")
    func pendingIntentsBlockAnotherUser() async throws {
        try await ServerProcess.with { server in
            let clinic = ClinicBuilder(rest: server.rest)
            let admin = try await clinic.admin()
            let nine = TestTime.day(1).addingTimeInterval(9 * 3600)
            let doctor = try await clinic.addDoctor("Dr Fox", admin: admin, windows: [(nine, nine.addingTimeInterval(3600), 30)])
            let first = try await clinic.addPatient("Sam")
            let second = try await clinic.addPatient("Tia")
            let cli = try CLI()
            try await cli.login(server, first).expectSuccess()
            try await cli.run(["sync", "--json"]).expectSuccess()
            try await cli.run(["book", "--doctor", doctor.id, "--start", iso(nine)]).expectSuccess()

            try await cli.login(server, second).expectFailure(1, code: "PENDING_INTENTS")
            // another server is refused too, before any network call
            try await cli.run(["login", "--server", "http://127.0.0.1:9", "--email", first.email, "--password", first.password, "--json"])
                .expectFailure(1, code: "PENDING_INTENTS")
            // the same user may sign in again with intents pending
            try await cli.login(server, first).expectSuccess()
            #expect(try await cli.run(["whoami", "--json"]).object["email"] as? String == first.email)
            #expect(try await cli.run(["outbox", "--json"]).array.count == 1)

            try await cli.run(["sync", "--json"]).expectSuccess()
            let other = try await cli.login(server, second)
            other.expectSuccess()
            #expect(other.object["email"] as? String == second.email)
            #expect(try await cli.run(["appointments", "--json"]).array.isEmpty, "the replica starts over for another user")
            #expect(try await cli.run(["status", "--json"]).object["lastMutationId"] as? Int == 0)
        }
    }

    @Test("a revoked session: sync exits 4 with LOGIN_NEEDED and keeps the outbox")
    func revokedSession() async throws {
        try await ServerProcess.with { server in
            let clinic = ClinicBuilder(rest: server.rest)
            let admin = try await clinic.admin()
            let nine = TestTime.day(1).addingTimeInterval(9 * 3600)
            let doctor = try await clinic.addDoctor("Dr Gil", admin: admin, windows: [(nine, nine.addingTimeInterval(3600), 30)])
            let patient = try await clinic.addPatient("Uma")
            let cli = try CLI()
            try await cli.login(server, patient).expectSuccess()
            try await cli.run(["sync", "--json"]).expectSuccess()
            try await cli.run(["book", "--doctor", doctor.id, "--start", iso(nine)]).expectSuccess()

            // the session ends elsewhere (its refresh token's family is revoked)
            let refreshToken = try #require(try Replicas.open(cli).session()?.refreshToken)
            let status = try await server.rest.send("POST", "/v1/auth/logout", json: ["refreshToken": refreshToken]).status
            #expect(status == 204)

            try await cli.run(["sync", "--json"]).expectFailure(4, code: "LOGIN_NEEDED")
            let text = try await cli.run(["sync"])
            #expect(text.status == 4 && text.stdout.isEmpty, "\(text)")
            #expect(try await cli.run(["outbox", "--json"]).array.count == 1)
            try await cli.login(server, patient).expectSuccess()
            let sync = try await cli.run(["sync", "--json"])
            #expect(sync.object["applied"] as? Int == 1, "\(sync)")
        }
    }
}
