import Foundation
import GRDB
import HMSSyncCore
import HMSTestSupport
import Testing

/// CONTRACT.md §6 "Client rules": the local view is the server's rows with every recorded intent
/// replayed on top. The replay is kept between commands (`overlay`), so these check that the kept
/// view is always the one a full replay gives, whoever changed what it is made from.
@Suite struct KeptOverlayTests {
    @Test(arguments: TestBackend.all)
    func theKeptViewIsTheFullReplayAndFollowsChangesMadeBehindTheEnginesBack(backend: TestBackend) async throws {
        try await LiveServer.run(backend) { server in
            let clinic = try await DeviceClinic.make(server, doctor: "Chase", patient: "Remy", hour: 10, slots: 6)
            let (doctor, device, slots) = (clinic.doctor, clinic.device, clinic.slots)
            let start = slots[0]

            // offline: bookings, a cancel and a reschedule, each recorded on the kept view
            let first = try device.book(doctor.id, at: slots[0])
            let second = try device.book(doctor.id, at: slots[1])
            let third = try device.book(doctor.id, at: slots[2])
            _ = try device.cancel(second.id)
            let moved = try device.reschedule(third.id, to: slots[3])
            #expect(try Self.keptCount(device) == 4)
            let kept = try device.localAppointments()
            #expect(kept.mapValues(\.appointment.status) == [
                first.id: .booked, second.id: .cancelled, third.id: .cancelled, moved.id: .booked,
            ])
            let keptSlots = try device.replica.slots(doctorId: doctor.id, day: TimeRange(start: start, end: slots[5].addingTimeInterval(1800)))

            // the same view from a full replay
            try device.tamper("UPDATE view_version SET overlay = NULL")
            #expect(try device.localAppointments() == kept)
            #expect(try device.replica.slots(doctorId: doctor.id, day: TimeRange(start: start, end: slots[5].addingTimeInterval(1800))) == keptSlots)

            // the kept view's busy spans refuse a pending booking's slot (the patient holds 09:00)
            #expect(throws: ReplicaError.self) { try device.book(doctor.id, at: slots[0]) }
            #expect(throws: ReplicaError.self) { try device.book(doctor.id, at: slots[3]) }

            // an intent taken out of the file behind the engine's back leaves the view too
            try device.tamper("DELETE FROM intents WHERE appointment_id = ?", arguments: [first.id])
            #expect(try device.localAppointments()[first.id] == nil)
            let free = try device.book(doctor.id, at: slots[0])
            #expect(try device.localAppointments()[free.id]?.pending == true)

            // logout drops the kept replay with the server rows
            _ = try await device.engine.logout()
            #expect(try Self.keptCount(device) == 0)
        }
    }

    static func keptCount(_ device: Device) throws -> Int {
        try DatabaseQueue(path: device.path).read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM overlay") ?? 0 }
    }
}
