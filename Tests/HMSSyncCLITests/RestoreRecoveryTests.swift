import Foundation
import HMSSyncCore
import HMSTestSupport
import Testing

/// CONTRACT.md §9.9 through the real binaries: `hms-server backup` while laptops work, a restore,
/// and the laptops getting their lost work back by themselves.
@Suite("backup, restore, and the laptops' work after a restore")
struct RestoreRecoveryTests {
    /// Runs `hms-server backup` with `arguments`.
    static func backup(_ server: ServerProcess, _ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
        let child = try ChildProcess(
            executable: server.executable, arguments: ["backup", "--database-url", server.database.url] + arguments,
            environment: [:], logFolder: server.logFolder)
        let exit = await child.waitForExit(timeout: 120)
        return (exit.status, child.stdout, child.stderr)
    }

    @Test("a backup under load restores; both laptops' later work comes back exactly once, conflicts as rejections")
    func restoreAndRecover() async throws {
        try await ServerProcess.with { server in
            let clinic = ClinicBuilder(rest: server.rest)
            let admin = try await clinic.admin()
            let nine = TestTime.day(2).addingTimeInterval(9 * 3600)
            let slot = { (index: Int) in nine.addingTimeInterval(TimeInterval(index * 1800)) }
            let doctor = try await clinic.addDoctor("Dr Bo", admin: admin, windows: [(nine, slot(12), 30)])
            let ann = try await clinic.addPatient("Ann"), ben = try await clinic.addPatient("Ben")
            // Cy will take slot 4 on the restored server before Ann's laptop sends it again
            let cy = try await clinic.addPatient("Cy")
            let laptopA = try CLI(), laptopB = try CLI()
            for (cli, account) in [(laptopA, ann), (laptopB, ben)] {
                try await cli.login(server, account).expectSuccess()
                try await cli.run(["sync", "--json"]).expectSuccess()
            }
            func book(_ cli: CLI, _ index: Int) async throws -> String {
                let result = try await cli.run(["book", "--doctor", doctor.id, "--start", iso(slot(index))])
                result.expectSuccess()
                return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            }

            // 1. laptop A books 3 and syncs
            var annsBookings = [try await book(laptopA, 0), try await book(laptopA, 1), try await book(laptopA, 2)]
            try await laptopA.run(["sync", "--json"]).expectSuccess()

            // 2. the backup runs while laptop B books and syncs
            let folder = try TempFolder("backup")
            let copy = folder.file("nightly.sqlite")
            async let copied = Self.backup(server, ["--to", copy])
            var bensBookings = [try await book(laptopB, 3)]
            try await laptopB.run(["sync", "--json"]).expectSuccess()
            let made = try await copied
            #expect(made.status == 0 && made.stdout.contains("integrity ok"), "\(made)")
            let mode = try FileManager.default.attributesOfItem(atPath: copy)[.posixPermissions] as? NSNumber
            #expect(mode?.intValue == 0o600)
            #expect(try await Self.backup(server, ["--to", copy]).status == 1, "an existing file needs --force")

            // 3. both book more (and Ann cancels one) and sync
            annsBookings.append(try await book(laptopA, 4))
            try await laptopA.run(["cancel", annsBookings[0]]).expectSuccess()
            bensBookings.append(try await book(laptopB, 5))
            for cli in [laptopA, laptopB] { try await cli.run(["sync", "--json"]).expectSuccess() }

            // 4. stop, restore the copy (without the old -wal and -shm), start
            await server.stop()
            let live = try #require(server.database.sqlitePath)
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: live + suffix) }
            try FileManager.default.copyItem(atPath: copy, toPath: live)
            try await server.start()
            let restored = try await clinic.appointments(as: admin)
            let beforeBackup = Set(annsBookings.prefix(3))
            #expect(Set(restored.map(\.id)).isSuperset(of: beforeBackup))
            #expect(!restored.contains { $0.id == annsBookings[3] || $0.id == bensBookings[1] })
            let cysBooking = try await server.rest.expect(
                "POST", "/v1/appointments", token: cy.accessToken, json: ["doctorId": doctor.id, "start": iso(slot(4))],
                as: Appointment.self)

            // 5. both laptops sync: their lost work is sent again
            let syncA = try await laptopA.run(["sync", "--json"])
            syncA.expectSuccess()
            #expect(syncA.stderr.contains("had lost"), "\(syncA)")
            let syncB = try await laptopB.run(["sync", "--json"])
            syncB.expectSuccess()
            let statusA = try await laptopA.run(["status", "--json"]).object
            let statusB = try await laptopB.run(["status", "--json"]).object
            // Ann: the cancel and the booking of slot 4 (taken by Cy: a visible rejection)
            #expect(statusA["recovered"] as? Int == 2 && statusA["lastRecoveryAt"] is String, "\(statusA)")
            // Ben: slot 5, and slot 3 unless the backup already held it
            let bensLost = restored.contains { $0.id == bensBookings[0] } ? 1 : 2
            #expect(statusB["recovered"] as? Int == bensLost, "\(statusB)")
            let rejections = try await laptopA.run(["rejections", "--json"]).array
            #expect(rejections.map { $0["code"] as? String } == ["SLOT_TAKEN"])
            #expect((rejections.first?["args"] as? [String: Any])?["appointmentId"] as? String == annsBookings[3])

            let final = try await clinic.appointments(as: admin)
            #expect(final.count == Set(final.map(\.id)).count, "nothing doubled")
            let byId = Dictionary(uniqueKeysWithValues: final.map { ($0.id, $0) })
            #expect(byId[annsBookings[0]]?.status == .cancelled)
            for id in annsBookings[1...2] + bensBookings { #expect(byId[id]?.status == .booked, "\(id)") }
            #expect(byId[annsBookings[3]] == nil && byId[cysBooking.id]?.status == .booked)
            #expect(final.count == 6)
            // a second sync sends nothing again
            for cli in [laptopA, laptopB] {
                let again = try await cli.run(["sync", "--json"])
                #expect(again.object["pushed"] as? Int == 0 && !again.stderr.contains("had lost"), "\(again)")
            }
            #expect(try await clinic.appointments(as: admin).count == 6)
        }
    }

    @Test("a backup taken while 40 bookings are written at once is a complete, consistent copy that a server starts on")
    func backupUnderWriteLoad() async throws {
        try await ServerProcess.with { server in
            let clinic = ClinicBuilder(rest: server.rest)
            let admin = try await clinic.admin()
            let start = TestTime.day(3).addingTimeInterval(8 * 3600)
            let doctor = try await clinic.addDoctor("Dr Load", admin: admin, windows: [(start, start.addingTimeInterval(10 * 3600), 15)])
            var accounts: [Account] = []
            for index in 0..<4 { accounts.append(try await clinic.addPatient("Load \(index)")) }
            let patients = accounts
            let folder = try TempFolder("backup-load")
            let copy = folder.file("copy.sqlite")
            let booked = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        let answer = try await server.rest.send(
                            "POST", "/v1/appointments", token: patients[index % 4].accessToken,
                            json: ["doctorId": doctor.id, "start": iso(start.addingTimeInterval(TimeInterval(index * 900)))])
                        return answer.status == 201 ? 1 : 0
                    }
                }
                group.addTask {
                    let made = try await Self.backup(server, ["--to", copy])
                    #expect(made.status == 0 && made.stdout.contains("integrity ok"), "\(made)")
                    return 0
                }
                return try await group.reduce(0, +)
            }
            #expect(booked == 40)
            // the copy opens as a server's database, and holds a prefix of the bookings
            let restored = try ServerProcess(database: TestDatabase(sqlitePath: copy))
            try await restored.start()
            let rows = try await ClinicBuilder(rest: restored.rest).appointments(as: try await ClinicBuilder(rest: restored.rest).admin())
            await restored.stop()
            #expect(rows.count <= 40 && Set(rows.map(\.id)).count == rows.count)
            #expect(rows.allSatisfy { $0.doctorId == doctor.id && $0.status == .booked })
        }
    }
}
