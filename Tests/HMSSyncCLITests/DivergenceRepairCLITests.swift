import Foundation
import GRDB
import HMSSyncCore
import HMSTestSupport
import Testing

/// CONTRACT.md §9.6 through the real binaries: a replica file changed behind `hms-sync`'s back is
/// repaired by the next `sync`, which says so on stderr, and `status --json` counts it.
@Suite("hms-sync repairs a replica that drifted")
struct DivergenceRepairCLITests {
    @Test("a directory row deleted from the file comes back on the next sync; status --json has repairs and lastRepairAt")
    func aDeletedRowIsRepairedAndCounted() async throws {
        try await ServerProcess.with { server in
            let clinic = ClinicBuilder(rest: server.rest)
            let admin = try await clinic.admin()
            let doctor = try await clinic.addDoctor("Dr Drift", admin: admin)
            let cli = try CLI()
            try await cli.login(server, try await clinic.addPatient("Dee")).expectSuccess()
            try await cli.run(["sync", "--json"]).expectSuccess()
            let before = try await cli.run(["status", "--json"])
            #expect(before.object["repairs"] as? Int == 0 && before.object["lastRepairAt"] is NSNull, "\(before)")

            try await DatabaseQueue(path: cli.replica).write { db in
                try db.execute(sql: "DELETE FROM server_rows WHERE entity = 'doctor' AND id = ?", arguments: [doctor.id])
            }
            let sync = try await cli.run(["sync", "--json"])
            sync.expectSuccess()
            #expect(sync.stderr.contains("drifted") && sync.stderr.contains("doctor"), "\(sync)")
            #expect(try await cli.run(["doctors", "--json"]).stdout.contains(doctor.id))

            let after = try await cli.run(["status", "--json"])
            #expect(after.object["repairs"] as? Int == 1, "\(after)")
            #expect((after.object["lastRepairAt"] as? String).flatMap(RFC3339.parse) != nil, "\(after)")
            let quiet = try await cli.run(["sync", "--json"])
            #expect(!quiet.stderr.contains("drifted"), "\(quiet)")
        }
    }
}
