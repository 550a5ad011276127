import Foundation
import HMSTestSupport
import Testing

/// Every command of CONTRACT.md §8 run through the real `hms-sync` against a real `hms-server`,
/// each `--json` answer checked to be one document of the contract's shape.
@Suite("hms-sync commands, as a patient")
struct PatientFlowTests {
    @Test("login, whoami, sync, doctors, slots, book, appointments, outbox, status, cancel, rejections, logout")
    func patientDay() async throws {
        try await ServerProcess.with { server in
            let clinic = ClinicBuilder(rest: server.rest)
            let admin = try await clinic.admin()
            let nine = TestTime.day(1).addingTimeInterval(9 * 3600)
            let doctor = try await clinic.addDoctor("Dr Ada", admin: admin, specialty: "Cardiology", windows: [(nine, nine.addingTimeInterval(3 * 3600), 30)])
            let patient = try await clinic.addPatient("Pat One")
            let cli = try CLI()

            // login with the password on stdin
            let login = try await cli.login(server, patient)
            login.expectSuccess()
            Shape.check(login.object, Shape.user, "login")
            #expect(login.object["email"] as? String == patient.email)
            #expect(login.object["role"] as? String == "patient")

            let whoami = try await cli.run(["whoami", "--json"])
            whoami.expectSuccess()
            Shape.check(whoami.object, Shape.user, "whoami")
            #expect(whoami.object["id"] as? String == patient.id)
            let whoamiText = try await cli.run(["whoami"])
            #expect(whoamiText.status == 0 && whoamiText.stdout.contains(patient.email))

            // the first sync pulls the directory
            let first = try await cli.run(["sync", "--json"])
            first.expectSuccess()
            Shape.check(first.object, Shape.syncReport, "sync")
            #expect(first.object["pushed"] as? Int == 0)
            #expect((first.object["pulled"] as? Int ?? 0) > 0)

            let doctors = try await cli.run(["doctors", "--json"])
            doctors.expectSuccess()
            Shape.checkAll(doctors.array, Shape.doctor, "doctors")
            #expect(doctors.array.map { $0["id"] as? String } == [doctor.id])
            #expect(doctors.array.first?["specialty"] as? String == "Cardiology")
            let doctorsText = try await cli.run(["doctors"])
            #expect(doctorsText.status == 0 && doctorsText.stdout.contains("Dr Ada"))

            let day = TestTime.dateString(nine)
            let slots = try await cli.run(["slots", doctor.id, "--date", day, "--json"])
            slots.expectSuccess()
            Shape.checkAll(slots.array, Shape.slot, "slots")
            #expect(slots.array.count == 6)
            #expect(slots.array.allSatisfy { $0["free"] as? Bool == true })
            #expect(slots.array.first?["start"] as? String == iso(nine))

            // book prints the id alone on stdout
            let tenThirty = nine.addingTimeInterval(90 * 60)
            let book = try await cli.run(["book", "--doctor", doctor.id, "--start", iso(tenThirty), "--reason", "check-up"])
            book.expectSuccess()
            let id = book.stdout.trimmingCharacters(in: .newlines)
            #expect(book.stdout == id + "\n", "book printed more than the id: \(book.stdout)")
            #expect(UUID(uuidString: id) != nil && id == id.lowercased(), "not a lowercase UUID: \(id)")

            let pending = try await cli.run(["appointments", "--json"])
            pending.expectSuccess()
            Shape.checkAll(pending.array, Shape.localAppointment, "appointments")
            #expect(pending.array.count == 1)
            #expect(pending.array.first?["id"] as? String == id)
            #expect(pending.array.first?["pending"] as? Bool == true)
            #expect(pending.array.first?["status"] as? String == "BOOKED")
            #expect(pending.array.first?["start"] as? String == iso(tenThirty))
            #expect(pending.array.first?["end"] as? String == iso(tenThirty.addingTimeInterval(1800)))
            #expect(pending.array.first?["reason"] as? String == "check-up")
            let pendingText = try await cli.run(["appointments"])
            #expect(pendingText.status == 0 && pendingText.stdout.contains(id) && pendingText.stdout.contains("pending"))

            let outbox = try await cli.run(["outbox", "--json"])
            outbox.expectSuccess()
            Shape.checkAll(outbox.array, Shape.outboxItem, "outbox")
            #expect(outbox.array.count == 1)
            #expect(outbox.array.first?["name"] as? String == "book")
            #expect((outbox.array.first?["args"] as? [String: Any])?["appointmentId"] as? String == id)
            #expect(outbox.array.first?["mutationId"] as? Int == 1)

            let statusBefore = try await cli.run(["status", "--json"])
            statusBefore.expectSuccess()
            Shape.check(statusBefore.object, Shape.status, "status")
            #expect(statusBefore.object["pending"] as? Int == 1)
            #expect(statusBefore.object["rejections"] as? Int == 0)
            #expect(statusBefore.object["server"] as? String == server.url)
            #expect(statusBefore.object["lastSyncAt"] is String)

            let takenSlots = try await cli.run(["slots", doctor.id, "--date", day, "--json"])
            #expect(takenSlots.array.filter { $0["free"] as? Bool == false }.map { $0["start"] as? String } == [iso(tenThirty)])
            let slotsText = try await cli.run(["slots", doctor.id, "--date", day])
            #expect(slotsText.status == 0 && slotsText.stdout.contains("taken"))

            // book --json answers one object with pending: true
            let elevenThirty = nine.addingTimeInterval(150 * 60)
            let bookJSON = try await cli.run(["book", "--doctor", doctor.id, "--start", iso(elevenThirty), "--json"])
            bookJSON.expectSuccess()
            Shape.check(bookJSON.object, Shape.localAppointment, "book")
            #expect(bookJSON.object["pending"] as? Bool == true)
            #expect(bookJSON.object["patientId"] as? String == patient.id)
            let secondId = try #require(bookJSON.object["id"] as? String)

            let sync = try await cli.run(["sync", "--json"])
            sync.expectSuccess()
            Shape.check(sync.object, Shape.syncReport, "sync")
            #expect(sync.object["pushed"] as? Int == 2)
            #expect(sync.object["applied"] as? Int == 2)
            #expect(sync.object["rejected"] as? Int == 0)
            #expect(sync.object["pending"] as? Int == 0)

            let synced = try await cli.run(["appointments", "--json"])
            #expect(Set(synced.array.compactMap { $0["id"] as? String }) == [id, secondId])
            #expect(synced.array.allSatisfy { $0["pending"] as? Bool == false })
            #expect(try await cli.run(["outbox", "--json"]).array.isEmpty)

            // the server holds the bookings
            let stored = try await server.rest.object("GET", "/v1/appointments/\(id)", token: admin.accessToken)
            #expect(stored["status"] as? String == "BOOKED")
            #expect(stored["patientId"] as? String == patient.id)

            // cancel, filtered listings
            let cancel = try await cli.run(["cancel", id, "--reason", "travel", "--json"])
            cancel.expectSuccess()
            Shape.check(cancel.object, Shape.localAppointment, "cancel")
            #expect(cancel.object["status"] as? String == "CANCELLED")
            #expect(cancel.object["cancelReason"] as? String == "travel")
            #expect(cancel.object["pending"] as? Bool == true)
            let cancelled = try await cli.run(["appointments", "--status", "CANCELLED", "--json"])
            #expect(cancelled.array.compactMap { $0["id"] as? String } == [id])
            #expect(cancelled.array.first?["pending"] as? Bool == true)
            let booked = try await cli.run(["appointments", "--status", "booked", "--json"])
            #expect(booked.array.compactMap { $0["id"] as? String } == [secondId])
            #expect(try await cli.run(["appointments", "--status", "COMPLETED", "--json"]).array.isEmpty)
            let cancelText = try await cli.run(["cancel", secondId])
            cancelText.expectSuccess()
            #expect(cancelText.stdout.isEmpty, "cancel without --json writes its message to stderr")

            let sync2 = try await cli.run(["sync", "--json"])
            #expect(sync2.object["applied"] as? Int == 2)
            let afterCancel = try await server.rest.object("GET", "/v1/appointments/\(id)", token: admin.accessToken)
            #expect(afterCancel["status"] as? String == "CANCELLED")
            #expect(afterCancel["cancelReason"] as? String == "travel")

            let status = try await cli.run(["status", "--json"])
            Shape.check(status.object, Shape.status, "status")
            #expect(status.object["pending"] as? Int == 0)
            #expect((status.object["lastMutationId"] as? Int) == 4)
            #expect(Shape.isContractTime(status.object["lastSyncAt"] as? String ?? ""))
            let statusText = try await cli.run(["status"])
            #expect(statusText.status == 0 && statusText.stdout.contains(patient.email))

            let rejections = try await cli.run(["rejections", "--json"])
            rejections.expectSuccess()
            #expect(rejections.array.isEmpty)

            // logout answers the user; afterwards a login is needed
            let logout = try await cli.run(["logout", "--json"])
            logout.expectSuccess()
            Shape.check(logout.object, Shape.user, "logout")
            #expect(logout.object["id"] as? String == patient.id)
            try await cli.run(["whoami", "--json"]).expectFailure(4, code: "LOGIN_NEEDED")
            try await cli.run(["sync", "--json"]).expectFailure(4, code: "LOGIN_NEEDED")
            try await cli.run(["book", "--doctor", doctor.id, "--start", iso(nine), "--json"])
                .expectFailure(4, code: "LOGIN_NEEDED")
            // logout takes the server's rows with it (CONTRACT §9.1)
            try await cli.run(["appointments", "--json"]).expectFailure(4, code: "LOGIN_NEEDED")

            // signing in again as the same user keeps the replica
            try await cli.run(["login", "--server", server.url, "--email", patient.email, "--password", patient.password])
                .expectSuccess()
            #expect(try await cli.run(["status", "--json"]).object["lastMutationId"] as? Int == 4)
        }
    }

    @Test("two patients book one slot offline: the later sync exits 0 and lists a SLOT_TAKEN rejection")
    func rejectionsAreReported() async throws {
        try await ServerProcess.with { server in
            let clinic = ClinicBuilder(rest: server.rest)
            let admin = try await clinic.admin()
            let nine = TestTime.day(2).addingTimeInterval(9 * 3600)
            let doctor = try await clinic.addDoctor("Dr Bo", admin: admin, windows: [(nine, nine.addingTimeInterval(3600), 60)])
            let first = try await clinic.addPatient("Ann")
            let second = try await clinic.addPatient("Ben")
            let cliA = try CLI(), cliB = try CLI()
            for (cli, account) in [(cliA, first), (cliB, second)] {
                try await cli.login(server, account).expectSuccess()
                try await cli.run(["sync", "--json"]).expectSuccess()
            }
            let bookA = try await cliA.run(["book", "--doctor", doctor.id, "--start", iso(nine)])
            let bookB = try await cliB.run(["book", "--doctor", doctor.id, "--start", iso(nine), "--reason", "late"])
            bookA.expectSuccess()
            bookB.expectSuccess()
            let lostId = bookB.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(try await cliA.run(["sync", "--json"]).object["applied"] as? Int == 1)

            let sync = try await cliB.run(["sync", "--json"])
            sync.expectSuccess()
            Shape.check(sync.object, Shape.syncReport, "sync")
            #expect(sync.object["pushed"] as? Int == 1)
            #expect(sync.object["applied"] as? Int == 0)
            #expect(sync.object["rejected"] as? Int == 1)
            #expect(sync.object["pending"] as? Int == 0)

            let rejections = try await cliB.run(["rejections", "--json"])
            rejections.expectSuccess()
            Shape.checkAll(rejections.array, Shape.rejection, "rejections")
            #expect(rejections.array.count == 1)
            #expect(rejections.array.first?["code"] as? String == "SLOT_TAKEN")
            #expect(rejections.array.first?["name"] as? String == "book")
            #expect((rejections.array.first?["args"] as? [String: Any])?["appointmentId"] as? String == lostId)
            let message = rejections.array.first?["message"] as? String ?? ""
            #expect(!message.isEmpty)
            let rejectionsText = try await cliB.run(["rejections"])
            #expect(rejectionsText.status == 0 && rejectionsText.stdout.contains("SLOT_TAKEN"))
            #expect(try await cliB.run(["status", "--json"]).object["rejections"] as? Int == 1)
            #expect(try await cliB.run(["outbox", "--json"]).array.isEmpty)
            // the refused booking is gone from the view; the slot shows taken (by the other patient)
            #expect(try await cliB.run(["appointments", "--json"]).array.isEmpty)
            let slots = try await cliB.run(["slots", doctor.id, "--date", TestTime.dateString(nine), "--json"])
            #expect(slots.array.first?["free"] as? Bool == false)
            // booking it again locally is refused with exit 1
            try await cliB.run(["book", "--doctor", doctor.id, "--start", iso(nine), "--json"])
                .expectFailure(1, code: "SLOT_TAKEN")
        }
    }
}
