import Foundation
import HMSSyncCore
import HMSTestSupport
import Testing

/// CONTRACT.md §9.1 "Busy rows", as the replica's local rules see them: the patient's own
/// appointments arrive as appointments and still hold the doctor's time; a started slot is
/// never free.
@Suite struct ReplicaBusyTests {
    @Test(arguments: TestBackend.all)
    func aPatientsOwnAppointmentStillHoldsTheDoctorsTimeInTheReplica(backend: TestBackend) async throws {
        try await LiveServer.run(backend) { server in
            let admin = try await server.clinic.admin()
            let doctor = try await server.clinic.addDoctor("Lane", admin: admin)
            let start = TestTime.tomorrow.addingTimeInterval(9 * 3600)
            try await server.clinic.addWindow(doctor, start: start, slots: 3)
            let patient = try await server.clinic.addPatient("Mara")
            let other = try await server.clinic.addPatient("Noor")
            for (account, slot) in [(patient, 0), (other, 1)] {
                _ = try await server.rest.expect(
                    "POST", "/v1/appointments", token: account.accessToken,
                    json: ["doctorId": doctor.id, "start": RFC3339.format(start.addingTimeInterval(TimeInterval(slot * 1800)))],
                    as: Appointment.self)
            }
            let device = try await Device.signIn(patient, at: server)
            try await device.sync()

            #expect(try device.replica.appointments().map(\.appointment.patientId) == [patient.id])
            let slots = try device.replica.slots(doctorId: doctor.id, day: TestTime.day(of: start))
            #expect(slots.map(\.free) == [false, false, true])
            #expect(slots == (try await server.clinic.slots(doctorId: doctor.id, day: start, as: patient)))
            // the local rules see the doctor's time the patient holds as taken
            let refusal = #expect(throws: ReplicaError.self) { try device.book(doctor.id, at: start) }
            #expect(refusal?.code == "SLOT_TAKEN")
        }
    }

    @Test(arguments: TestBackend.all)
    func aSlotThatHasStartedIsNeverFreeInTheReplica(backend: TestBackend) async throws {
        try await LiveServer.run(backend) { server in
            let admin = try await server.clinic.admin()
            let doctor = try await server.clinic.addDoctor("Moss", admin: admin)
            let start = TestTime.tomorrow.addingTimeInterval(13 * 3600)
            try await server.clinic.addWindow(doctor, start: start, slots: 4)
            let device = try await Device.signIn(try await server.clinic.addPatient("Otto"), at: server)
            try await device.sync()

            let day = TestTime.day(of: start)
            #expect(try device.replica.slots(doctorId: doctor.id, day: day, now: start.addingTimeInterval(-1)).map(\.free)
                == [true, true, true, true])
            #expect(try device.replica.slots(doctorId: doctor.id, day: day, now: start).map(\.free)
                == [false, true, true, true])
            #expect(try device.replica.slots(doctorId: doctor.id, day: day, now: start.addingTimeInterval(1800 + 60)).map(\.free)
                == [false, false, true, true])
        }
    }
}
