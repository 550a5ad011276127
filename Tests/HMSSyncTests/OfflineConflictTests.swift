import Foundation
import HMSSyncCore
import HMSTestSupport
import Testing

/// CONTRACT.md §6 "Client rules": intents are recorded offline and judged again by the server.
@Suite struct OfflineConflictTests {
    @Test(arguments: TestBackend.all)
    func twoOfflineBookingsOfOneSlotEndAsOneAppointmentAndOneVisibleRejection(backend: TestBackend) async throws {
        try await LiveServer.run(backend) { server in
            let admin = try await server.clinic.admin()
            let doctor = try await server.clinic.addDoctor("Grey", admin: admin)
            let slotStart = TestTime.tomorrow.addingTimeInterval(9 * 3600)
            try await server.clinic.addWindow(doctor, start: slotStart, slots: 4)
            let alice = try await Device.signIn(try await server.clinic.addPatient("Alice"), at: server)
            let bob = try await Device.signIn(try await server.clinic.addPatient("Bob"), at: server)
            try await alice.sync()
            try await bob.sync()

            // The network goes down: booking still works, from the replica alone.
            alice.network.setOffline(true)
            bob.network.setOffline(true)
            let alicesBooking = try alice.book(doctor.id, at: slotStart, reason: "cough")
            let bobsBooking = try bob.book(doctor.id, at: slotStart, reason: "check-up")
            #expect(alicesBooking.status == .booked)
            #expect(bobsBooking.status == .booked)
            #expect(try alice.localAppointments()[alicesBooking.id]?.pending == true)
            let quickGiveUp = Device(copy: alice, retry: RetryPolicy(silenceLimit: 0.3, initialDelay: 0.05, maxDelay: 0.1))
            await #expect(throws: ReplicaError.self) { try await quickGiveUp.sync() }
            #expect(try alice.replica.outbox().count == 1, "an unreachable server loses nothing")

            // Back online: Alice syncs first and gets the slot; Bob's booking comes back refused.
            alice.network.setOffline(false)
            bob.network.setOffline(false)
            let aliceReport = try await alice.sync()
            let bobReport = try await bob.sync()
            #expect(aliceReport.applied == 1 && aliceReport.rejected == 0)
            #expect(bobReport.applied == 0 && bobReport.rejected == 1)
            #expect(try alice.replica.rejections().isEmpty)
            let rejections = try bob.replica.rejections()
            #expect(rejections.map(\.code) == ["SLOT_TAKEN"])
            #expect(rejections.first?.args["appointmentId"]?.stringValue == bobsBooking.id)
            #expect(try alice.replica.outbox().isEmpty && bob.replica.outbox().isEmpty)

            // Both local views now say what the server says.
            try await alice.sync()
            for device in [alice, bob] {
                let local = try device.localAppointments()
                let remote = try await server.clinic.appointments(as: device.account)
                #expect(local.values.map(\.appointment).sorted(by: { $0.id < $1.id }) == remote.sorted(by: { $0.id < $1.id }))
                #expect(local.values.allSatisfy { !$0.pending })
                let day = TestTime.day(of: slotStart)
                #expect(try device.replica.slots(doctorId: doctor.id, day: day)
                    == (try await server.clinic.slots(doctorId: doctor.id, day: slotStart, as: device.account)))
            }
            #expect(try alice.localAppointments()[alicesBooking.id]?.appointment.status == .booked)
            #expect(try bob.localAppointments().isEmpty)
            let taken = try await server.clinic.slots(doctorId: doctor.id, day: slotStart, as: admin).first { $0.start == slotStart }
            #expect(taken?.free == false)
        }
    }
}

extension Device {
    /// The same replica and network behind an engine with another retry policy.
    init(copy device: Device, retry: RetryPolicy) {
        self.name = device.name
        self.account = device.account
        self.path = device.path
        self.replica = device.replica
        self.network = device.network
        self.engine = SyncEngine(replica: device.replica, transport: device.network, retry: retry)
    }
}
