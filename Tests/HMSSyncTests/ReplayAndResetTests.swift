import Foundation
import HMSSyncCore
import HMSTestSupport
import Testing

/// CONTRACT.md §6 "Client rules" and "Pull": what the local view shows between a push and the
/// pull that covers it, and what a reset keeps.
@Suite struct ReplayAndResetTests {
    static let impatient = RetryPolicy(silenceLimit: 0.3, initialDelay: 0.05, maxDelay: 0.1)

    @Test(arguments: TestBackend.all)
    func aBookingNeverVanishesBetweenThePushAndThePull(backend: TestBackend) async throws {
        try await LiveServer.run(backend) { server in
            let admin = try await server.clinic.admin()
            let doctor = try await server.clinic.addDoctor("Ross", admin: admin)
            let start = TestTime.tomorrow.addingTimeInterval(14 * 3600)
            try await server.clinic.addWindow(doctor, start: start, slots: 2)
            let device = try await Device.signIn(try await server.clinic.addPatient("Iris"), at: server)
            try await device.sync()

            let booked = try device.book(doctor.id, at: start)
            // The push gets through; every pull is lost until the engine gives up.
            device.network.setOffline(true) { $0.isPull }
            let giveUpSoon = Device(copy: device, retry: Self.impatient)
            await #expect(throws: ReplicaError.self) { try await giveUpSoon.sync() }
            let onServer: [Appointment] = try await server.clinic.appointments(as: admin)
            #expect(onServer.map(\.id) == [booked.id])
            #expect(try device.replica.outbox().isEmpty)
            let shown: LocalAppointment? = try device.localAppointments()[booked.id]
            #expect(shown?.appointment.status == .booked)
            #expect(shown?.pending == true, "the server's row has not been pulled yet")
            let slots: [Slot] = try device.replica.slots(doctorId: doctor.id, day: TestTime.day(of: start))
            #expect(slots.first?.free == false)

            device.network.setOffline(false)
            try await device.sync()
            let pulled: LocalAppointment? = try device.localAppointments()[booked.id]
            #expect(pulled?.pending == false)
            #expect(pulled?.appointment == onServer.first)
        }
    }

    @Test(arguments: TestBackend.all)
    func aResetDropsTheServersRowsAndKeepsTheOutbox(backend: TestBackend) async throws {
        try await LiveServer.run(backend) { server in
            let admin = try await server.clinic.admin()
            let doctor = try await server.clinic.addDoctor("Stone", admin: admin)
            let start = TestTime.tomorrow.addingTimeInterval(15 * 3600)
            try await server.clinic.addWindow(doctor, start: start, slots: 3)
            let device = try await Device.signIn(try await server.clinic.addPatient("Jude"), at: server)
            try await device.sync()
            let kept = try device.book(doctor.id, at: start)
            try await device.sync()

            // A cursor of some other database, a row the server never sent, and an intent
            // recorded since: the reset page drops the stray row and keeps the intent.
            try device.tamper("UPDATE state SET value = 'b3RoZXItZGF0YWJhc2U6OTk' WHERE key = 'cursor'")
            try device.tamper("INSERT INTO server_rows (entity, id, json, doctor_id) VALUES ('doctor', 'stray', '{}', 'stray')")
            let pending = try device.book(doctor.id, at: start.addingTimeInterval(1800))
            let clientId: String = try #require(try device.replica.status().clientId)
            let cursor: String = try #require(try device.replica.pullCursor())
            let session: Session = try #require(try device.replica.session())
            let page: PullResponse = try await server.rest.expect(
                "GET", "/v1/sync/pull?clientId=\(clientId)&schemaVersion=1&cursor=\(cursor)", token: session.accessToken,
                as: PullResponse.self)
            #expect(page.reset)
            try device.replica.store(page: page, now: Date())

            #expect(try device.replica.outbox().map(\.name) == ["book"])
            #expect(try device.replica.doctors().map(\.id) == [doctor.id])
            let view: [String: LocalAppointment] = try device.localAppointments()
            #expect(view[pending.id]?.pending == true)
            #expect(view[kept.id]?.pending == false)

            try await device.sync()
            let statuses: [String: AppointmentStatus] = try device.localAppointments().mapValues { $0.appointment.status }
            #expect(statuses == [kept.id: AppointmentStatus.booked, pending.id: AppointmentStatus.booked])
            #expect(try device.replica.outbox().isEmpty)
        }
    }
}
