import Foundation
import HMSSyncCore
import HMSTestSupport
import Testing

/// CONTRACT §9.1: `logout` leaves only the user's own pending work in the replica.
@Suite("hms-sync logout removes server data from the replica")
struct LogoutTests {
    @Test("""
        logout deletes the tokens, every server row and rejection, down to the raw file and WAL; pending intents stay; \
        whoami, doctors, slots and appointments exit 4; status and outbox still work; a new login pulls everything again
        """)
    func logoutLeavesOnlyPendingWork() async throws {
        try await ServerProcess.with { server in
            let clinic = ClinicBuilder(rest: server.rest)
            let admin = try await clinic.admin()
            let nine = TestTime.day(2).addingTimeInterval(9 * 3600)
            let doctor = try await clinic.addDoctor("Dr Lark", admin: admin, windows: [(nine, nine.addingTimeInterval(3 * 3600), 30)])
            let patient = try await clinic.addPatient("Quilla Marchbanks")
            let other = try await clinic.addPatient("Odo Penrose")
            let reason = "recurring-migraine-aura-7731"
            let patientToken = try await clinic.login(patient.email, patient.password).accessToken
            _ = try await server.rest.object(
                "POST", "/v1/appointments", ["doctorId": doctor.id, "start": iso(nine), "reason": reason],
                token: patientToken, expect: 201)

            let cli = try CLI()
            try await cli.login(server, admin).expectSuccess()
            try await cli.run(["sync", "--json"]).expectSuccess()
            let before = try await cli.run(["appointments", "--json"])
            #expect(before.stdout.contains(patient.name) && before.stdout.contains(reason), "the replica held the PHI: \(before)")

            // a rejection: the admin books 9:30 for Odo offline while Odo takes it online
            let half = nine.addingTimeInterval(1800)
            let rejectedReason = "rejected-reason-palpitations-4417"
            try await cli.run(["book", "--doctor", doctor.id, "--start", iso(half), "--patient", other.id,
                               "--reason", rejectedReason]).expectSuccess()
            let otherToken = try await clinic.login(other.email, other.password).accessToken
            _ = try await server.rest.object(
                "POST", "/v1/appointments", ["doctorId": doctor.id, "start": iso(half)], token: otherToken, expect: 201)
            #expect(try await cli.run(["sync", "--json"]).object["rejected"] as? Int == 1)
            #expect(try await cli.run(["rejections", "--json"]).array.count == 1)
            // pending work: a booking recorded and not synced
            let ten = nine.addingTimeInterval(3600)
            try await cli.run(["book", "--doctor", doctor.id, "--start", iso(ten), "--patient", other.id]).expectSuccess()

            let session = try #require(try Replicas.open(cli).session())
            let tokens = [session.accessToken, session.refreshToken]
            let logout = try await cli.run(["logout"])
            logout.expectSuccess()
            #expect(logout.stderr.contains("1 pending"), "logout says what stays: \(logout)")

            for arguments in [["whoami"], ["doctors"], ["slots", doctor.id, "--date", TestTime.dateString(nine)], ["appointments"]] {
                try await cli.run(arguments + ["--json"]).expectFailure(4, code: "LOGIN_NEEDED")
            }
            let status = try await cli.run(["status", "--json"])
            status.expectSuccess()
            #expect(status.object["pending"] as? Int == 1 && status.object["rejections"] as? Int == 0, "\(status)")
            #expect(try await cli.run(["outbox", "--json"]).array.count == 1)
            #expect(try await cli.run(["rejections", "--json"]).array.isEmpty)

            for file in [cli.replica, cli.replica + "-wal"] {
                let bytes = (try? Data(contentsOf: URL(fileURLWithPath: file))) ?? Data()
                for secret in [patient.name, reason, rejectedReason, doctor.name] + tokens {
                    #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(secret) is still in \(file)")
                }
            }
            #expect(try Replicas.open(cli).session() == nil)

            // the same user signs in again: the pending booking goes out and the server's rows come back
            try await cli.login(server, admin).expectSuccess()
            let sync = try await cli.run(["sync", "--json"])
            #expect(sync.object["applied"] as? Int == 1, "\(sync)")
            let after = try await cli.run(["appointments", "--json"])
            #expect(after.array.count == 3 && after.stdout.contains(patient.name), "\(after)")
        }
    }
}
