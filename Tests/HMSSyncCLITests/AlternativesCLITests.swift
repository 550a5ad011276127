import Foundation
import HMSSyncCore
import HMSTestSupport
import Testing

/// CONTRACT.md §9.2 and §9.8 through the real `hms-sync` against a real `hms-server`.
@Suite("hms-sync: alternatives on a taken slot, and reschedule")
struct AlternativesCLITests {
    @Test("a taken slot lists the free alternatives (book, --json details, rejections); --first-alternative books the first; reschedule moves")
    func takenSlotAndMove() async throws {
        try await ServerProcess.with { server in
            let clinic = ClinicBuilder(rest: server.rest)
            let admin = try await clinic.admin()
            let nine = TestTime.day(2).addingTimeInterval(9 * 3600)
            let slot = { (index: Int) in nine.addingTimeInterval(TimeInterval(index * 1800)) }
            let doctor = try await clinic.addDoctor("Dr Bo", admin: admin, windows: [(nine, slot(4), 30)])
            let ann = try await clinic.addPatient("Ann")
            let ben = try await clinic.addPatient("Ben")
            let cliA = try CLI(), cliB = try CLI()
            for (cli, account) in [(cliA, ann), (cliB, ben)] {
                try await cli.login(server, account).expectSuccess()
                try await cli.run(["sync", "--json"]).expectSuccess()
            }
            try await cliA.run(["book", "--doctor", doctor.id, "--start", iso(slot(0))]).expectSuccess()
            try await cliB.run(["book", "--doctor", doctor.id, "--start", iso(slot(0))]).expectSuccess()
            try await cliA.run(["sync", "--json"]).expectSuccess()
            #expect(try await cliB.run(["sync", "--json"]).object["rejected"] as? Int == 1)

            // the server's rejection keeps its alternatives
            let rejections = try await cliB.run(["rejections", "--json"])
            Shape.checkAll(rejections.array, Shape.rejection, "rejections")
            let offered = (rejections.array.first?["alternatives"] as? [[String: Any]]) ?? []
            #expect(offered.map { $0["start"] as? String } == [iso(slot(1)), iso(slot(2)), iso(slot(3))])
            #expect(offered.first?["end"] as? String == iso(slot(2)))
            #expect(try await cliB.run(["rejections"]).stdout.contains(iso(slot(1))))

            // a local refusal offers the same, on stderr and in the --json error's details
            let refused = try await cliB.run(["book", "--doctor", doctor.id, "--start", iso(slot(0))])
            #expect(refused.status == 1 && refused.stderr.contains("free instead: \(iso(slot(1)))"), "\(refused)")
            let refusedJSON = try await cliB.run(["book", "--doctor", doctor.id, "--start", iso(slot(0)), "--json"])
            refusedJSON.expectFailure(1, code: "SLOT_TAKEN")
            let details = refusedJSON.object["details"] as? [String: Any]
            #expect((details?["alternatives"] as? [[String: Any]])?.map { $0["start"] as? String } == [iso(slot(1)), iso(slot(2)), iso(slot(3))])

            // --first-alternative books the first one instead
            let first = try await cliB.run(["book", "--doctor", doctor.id, "--start", iso(slot(0)), "--first-alternative", "--json"])
            first.expectSuccess()
            #expect(first.object["start"] as? String == iso(slot(1)) && first.object["pending"] as? Bool == true)
            let bookedId = try #require(first.object["id"] as? String)

            // reschedule records the move offline and prints the new id
            let move = try await cliB.run(["reschedule", bookedId, "--start", iso(slot(3))])
            move.expectSuccess()
            let newId = move.stdout.trimmingCharacters(in: .newlines)
            #expect(move.stdout == newId + "\n" && newId != bookedId && UUID(uuidString: newId) != nil)
            let view = try await cliB.run(["appointments", "--json"])
            let byId = Dictionary(uniqueKeysWithValues: view.array.map { ($0["id"] as? String ?? "", $0) })
            #expect(byId[bookedId]?["status"] as? String == "CANCELLED" && byId[bookedId]?["cancelReason"] as? String == "rescheduled")
            #expect(byId[newId]?["status"] as? String == "BOOKED" && byId[newId]?["start"] as? String == iso(slot(3)))
            #expect(byId[newId]?["pending"] as? Bool == true)

            let sync = try await cliB.run(["sync", "--json"])
            #expect(sync.object["applied"] as? Int == 2 && sync.object["rejected"] as? Int == 0, "\(sync)")
            let remote = try await clinic.appointments(as: ben)
            #expect(remote.map(\.id).sorted() == [bookedId, newId].sorted())
            #expect(remote.first { $0.id == newId }?.start == slot(3))
            #expect(remote.first { $0.id == bookedId }?.cancelReason == "rescheduled")

            // a move refused locally: the taken slot's alternatives never offer the current one
            try await cliB.run(["reschedule", newId, "--start", iso(slot(0)), "--json"]).expectFailure(1, code: "SLOT_TAKEN")
            try await cliB.run(["reschedule", newId, "--start", "tomorrow"]).expectFailure(2, code: "USAGE")
        }
    }
}
