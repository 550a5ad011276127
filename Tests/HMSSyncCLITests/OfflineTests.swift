import Foundation
import HMSTestSupport
import Testing

/// Offline work: intents are recorded with the server stopped, `sync` with the server down
/// exits 3 and keeps them, and the next sync after a restart delivers them.
@Suite("hms-sync offline")
struct OfflineTests {
    @Test("a doctor completes offline; sync exits 3 while the server is down and delivers after a restart")
    func completeOfflineThenSync() async throws {
        try await ServerProcess.with { server in
            let clinic = ClinicBuilder(rest: server.rest)
            let admin = try await clinic.admin()
            // a slot a few seconds ahead: booked before it starts, completed once it has
            let soon = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 8).rounded(.up))
            let tomorrow = TestTime.day(1).addingTimeInterval(14 * 3600)
            let doctorAccount = try await clinic.addDoctor(
                "Dr Cy", admin: admin, windows: [(soon, soon.addingTimeInterval(300), 5), (tomorrow, tomorrow.addingTimeInterval(3600), 30)])
            let patientAccount = try await clinic.addPatient("Pia")
            let patient = try CLI(name: "patient"), doctor = try CLI(name: "doctor")
            try await patient.login(server, patientAccount).expectSuccess()
            try await doctor.login(server, doctorAccount).expectSuccess()
            try await patient.run(["sync", "--json"]).expectSuccess()
            let book = try await patient.run(["book", "--doctor", doctorAccount.id, "--start", iso(soon)])
            book.expectSuccess()
            let id = book.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let pushed = try await patient.run(["sync", "--json"])
            #expect(pushed.object["applied"] as? Int == 1, "\(pushed)")
            try #require(Date() < soon, "the machine was too slow to book the slot before it started")

            let doctorSync = try await doctor.run(["sync", "--json"])
            doctorSync.expectSuccess()
            let schedule = try await doctor.run(["appointments", "--json"])
            Shape.checkAll(schedule.array, Shape.localAppointment, "appointments")
            #expect(schedule.array.compactMap { $0["id"] as? String } == [id])
            #expect((schedule.array.first?["patient"] as? [String: Any])?["name"] as? String == "Pia")
            if Date() < soon.addingTimeInterval(-1) {
                try await doctor.run(["complete", id, "--diagnosis", "d", "--treatment", "t", "--json"])
                    .expectFailure(1, code: "TOO_EARLY")
            }
            // a doctor may not book or cancel: refused locally, exit 1
            try await doctor.run(["book", "--doctor", doctorAccount.id, "--start", iso(tomorrow), "--patient",
                                  patientAccount.id, "--json"]).expectFailure(1, code: "FORBIDDEN")
            try await doctor.run(["cancel", id, "--json"]).expectFailure(1, code: "FORBIDDEN")

            await server.stop()
            while Date() < soon.addingTimeInterval(1) { try await Task.sleep(nanoseconds: 100_000_000) }

            // with the server stopped: complete, book and cancel are recorded
            let complete = try await doctor.run(["complete", id, "--diagnosis", "flu", "--treatment", "rest", "--json"])
            complete.expectSuccess()
            Shape.check(complete.object, Shape.localAppointment, "complete")
            #expect(complete.object["status"] as? String == "COMPLETED")
            #expect(complete.object["diagnosis"] as? String == "flu")
            #expect(complete.object["treatment"] as? String == "rest")
            #expect(complete.object["pending"] as? Bool == true)
            let completeText = try await doctor.run(["complete", id, "--diagnosis", "x", "--treatment", "y"])
            #expect(completeText.status == 1, "completing twice breaks the lifecycle: \(completeText)")

            let offlineBook = try await patient.run(["book", "--doctor", doctorAccount.id, "--start", iso(tomorrow)])
            offlineBook.expectSuccess()
            let offlineId = offlineBook.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let laterBook = try await patient.run([
                "book", "--doctor", doctorAccount.id, "--start", iso(tomorrow.addingTimeInterval(1800)), "--json",
            ])
            laterBook.expectSuccess()
            let laterId = try #require(laterBook.object["id"] as? String)
            try await patient.run(["cancel", laterId, "--json"]).expectSuccess()

            // sync with nothing listening: exit 3, UNREACHABLE, nothing lost
            let started = Date()
            let down = try await doctor.run(["sync", "--json"], environment: ["HMS_SYNC_TIMEOUT": "2"])
            down.expectFailure(3, code: "UNREACHABLE")
            #expect(Date().timeIntervalSince(started) < 15)
            let downText = try await patient.run(["sync"], environment: ["HMS_SYNC_TIMEOUT": "1"])
            #expect(downText.status == 3 && downText.stdout.isEmpty && !downText.stderr.isEmpty, "\(downText)")
            #expect(try await doctor.run(["outbox", "--json"]).array.count == 1)
            #expect(try await patient.run(["outbox", "--json"]).array.count == 3)
            #expect(try await doctor.run(["status", "--json"]).object["pending"] as? Int == 1)

            try await server.start()
            let delivered = try await doctor.run(["sync", "--json"])
            delivered.expectSuccess()
            #expect(delivered.object["applied"] as? Int == 1, "\(delivered)")
            #expect(delivered.object["pending"] as? Int == 0)
            let stored = try await server.rest.object("GET", "/v1/appointments/\(id)", token: admin.accessToken)
            #expect(stored["status"] as? String == "COMPLETED")
            #expect(stored["diagnosis"] as? String == "flu")
            let patientSync = try await patient.run(["sync", "--json"])
            #expect(patientSync.object["applied"] as? Int == 3, "\(patientSync)")
            let mine = try await patient.run(["appointments", "--json"])
            let statuses = Dictionary(uniqueKeysWithValues: mine.array.compactMap { row in
                (row["id"] as? String).map { ($0, row["status"] as? String ?? "") }
            })
            #expect(statuses == [id: "COMPLETED", offlineId: "BOOKED", laterId: "CANCELLED"])
            #expect(mine.array.allSatisfy { $0["pending"] as? Bool == false })
        }
    }

    @Test("sync gives up after 30 s when nothing answers, exit 3, outbox kept")
    func defaultSilenceLimit() async throws {
        let cli = try CLI()
        try await ServerProcess.with { server in
            let clinic = ClinicBuilder(rest: server.rest)
            let admin = try await clinic.admin()
            let nine = TestTime.day(1).addingTimeInterval(9 * 3600)
            let doctor = try await clinic.addDoctor("Dr Di", admin: admin, windows: [(nine, nine.addingTimeInterval(3600), 60)])
            let patient = try await clinic.addPatient("Quinn")
            try await cli.login(server, patient).expectSuccess()
            try await cli.run(["sync", "--json"]).expectSuccess()
            try await cli.run(["book", "--doctor", doctor.id, "--start", iso(nine)]).expectSuccess()
            await server.stop()
        }
        // the stopped server's port: nothing listens there, so every attempt is refused at once
        let started = Date()
        let result = try await cli.run(["sync", "--json"], timeout: 90)
        let elapsed = Date().timeIntervalSince(started)
        result.expectFailure(3, code: "UNREACHABLE")
        #expect(elapsed > 20 && elapsed < 45, "gave up after \(elapsed) s")
        #expect(try await cli.run(["outbox", "--json"]).array.count == 1)
    }

    @Test("a server that accepts and never answers: exit 3 after HMS_SYNC_TIMEOUT")
    func silentServer() async throws {
        let listener = try SilentListener()
        defer { listener.close() }
        let cli = try CLI()
        let started = Date()
        let result = try await cli.run(
            ["login", "--server", "http://127.0.0.1:\(listener.port)", "--email", "a@b.c", "--password", "whatever1", "--json"],
            environment: ["HMS_SYNC_TIMEOUT": "3"], timeout: 60)
        result.expectFailure(3, code: "UNREACHABLE")
        #expect(Date().timeIntervalSince(started) < 20)
        try await cli.run(
            ["login", "--server", "http://127.0.0.1:\(listener.port)", "--email", "a@b.c", "--password", "whatever1", "--json"],
            environment: ["HMS_SYNC_TIMEOUT": "zero"]
        ).expectFailure(2, code: "USAGE")
    }
}
