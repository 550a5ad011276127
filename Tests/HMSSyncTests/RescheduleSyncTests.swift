import Foundation
import HMSSyncCore
import HMSTestSupport
import Testing

/// CONTRACT.md §9.2 and §9.8 through sync: reschedule as an intent, alternatives on push
/// rejections and on local refusals.
@Suite struct RescheduleSyncTests {
    typealias Setting = PushProtocolTests.Setting

    static func reschedule(_ id: Int, appointment: String, to start: Date, newId: String) -> Mutation {
        let intent = Intent.reschedule(RescheduleIntent(appointmentId: appointment, newAppointmentId: newId, start: start))
        return Mutation(id: id, name: intent.name, args: IntentArgs.args(of: intent), clientTime: Date())
    }

    @Test(arguments: TestBackend.all)
    func aPushedRescheduleMovesTheAppointmentAndItsRetryAnswersTheStoredResult(backend: TestBackend) async throws {
        try await LiveServer.run(backend) { server in
            let setting = try await Setting.make(server)
            let client = PushProtocolTests.newClient()
            let old = UUID().uuidString.lowercased()
            let new = UUID().uuidString.lowercased()
            let batch = [setting.book(1, appointment: old, slot: 0), Self.reschedule(2, appointment: old, to: setting.slots[2], newId: new)]
            let first = try await setting.push(batch, client: client).decode(PushResponse.self)
            #expect(first.results.map(\.status) == [.applied, .applied])
            let after = try await server.clinic.appointments(as: setting.admin)
            #expect(after.map(\.id) == [old, new])
            #expect(after.map(\.status) == [.cancelled, .booked] && after.first?.cancelReason == "rescheduled")
            #expect(after.last?.start == setting.slots[2] && after.last?.reason == "visit")
            let again = try await setting.push(batch, client: client)
            #expect(try again.decode(PushResponse.self) == first)
            #expect(try await server.clinic.appointments(as: setting.admin) == after)
        }
    }

    @Test(arguments: TestBackend.all)
    func aPushedSlotTakenCarriesAlternativesAndItsRetryAnswersTheSameDetails(backend: TestBackend) async throws {
        try await LiveServer.run(backend) { server in
            let setting = try await Setting.make(server)
            let other = try await server.clinic.addPatient("Other")
            _ = try await setting.push([setting.book(1, appointment: UUID().uuidString.lowercased(), slot: 1)],
                                       client: PushProtocolTests.newClient(), as: other)
            let client = PushProtocolTests.newClient()
            let taken = [setting.book(1, appointment: UUID().uuidString.lowercased(), slot: 1)]
            let answer = try await setting.push(taken, client: client)
            let result = try #require(try answer.decode(PushResponse.self).results.first)
            #expect(result.status == .rejected && result.code == "SLOT_TAKEN")
            #expect(result.details?["alternatives"]?.slots == [AlternativeSlot(start: setting.slots[2], end: setting.slots[2].addingTimeInterval(1800))])
            #expect(answer.text.contains(#""details":{"alternatives":[{"#))
            let retry = try await setting.push(taken, client: client)
            #expect(retry.body == answer.body)
        }
    }

    @Test(arguments: TestBackend.all)
    func anOfflineRescheduleIntoASlotAnotherDeviceTookFirstIsRejectedWithAlternativesAndTheOldAppointmentStays(
        backend: TestBackend
    ) async throws {
        try await LiveServer.run(backend) { server in
            let admin = try await server.clinic.admin()
            let doctor = try await server.clinic.addDoctor("Grey", admin: admin)
            let start = TestTime.tomorrow.addingTimeInterval(9 * 3600)
            try await server.clinic.addWindow(doctor, start: start, slots: 4)
            let slot = { (index: Int) in start.addingTimeInterval(TimeInterval(index * 1800)) }
            let alice = try await Device.signIn(try await server.clinic.addPatient("Alice"), at: server)
            let bob = try await Device.signIn(try await server.clinic.addPatient("Bob"), at: server)
            try await alice.sync()
            let old = try alice.book(doctor.id, at: slot(0), reason: "cough")
            try await alice.sync()
            try await bob.sync()

            alice.network.setOffline(true)
            let moved = try alice.reschedule(old.id, to: slot(2))
            let shown = try alice.localAppointments()
            #expect(shown[old.id]?.appointment.status == .cancelled && shown[old.id]?.pending == true)
            #expect(shown[moved.id]?.appointment.start == slot(2) && shown[moved.id]?.pending == true)
            _ = try bob.book(doctor.id, at: slot(2))
            try await bob.sync()

            alice.network.setOffline(false)
            let report = try await alice.sync()
            #expect(report.rejected == 1)
            let rejection = try #require(try alice.replica.rejections().first)
            #expect(rejection.name == "reschedule" && rejection.code == "SLOT_TAKEN")
            // slot 0 is the appointment's own (never offered), slot 2 is Bob's
            #expect(rejection.alternatives.map(\.start) == [slot(3)])
            let remote = try await server.clinic.appointments(as: alice.account)
            #expect(remote.map(\.id) == [old.id] && remote.first?.status == .booked)
            try await alice.sync()
            let local = try alice.localAppointments()
            #expect(local.keys.sorted() == [old.id] && local[old.id]?.appointment.status == .booked && local[old.id]?.pending == false)

            // now refused on the replica itself, with the same rule's list
            do {
                _ = try alice.reschedule(old.id, to: slot(2))
                Issue.record("a taken slot was accepted locally")
            } catch ReplicaError.refused(let refusal) {
                #expect(refusal.code == .slotTaken && refusal.alternatives.map(\.start) == [slot(3)])
            }
            #expect(try alice.replica.outbox().isEmpty)
        }
    }
}
