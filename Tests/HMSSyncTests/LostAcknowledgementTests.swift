import Foundation
import HMSSyncCore
import HMSTestSupport
import Testing

/// CONTRACT.md §6 "Push": a retried mutation id answers its stored result and applies nothing again.
@Suite struct LostAcknowledgementTests {
    @Test(arguments: TestBackend.all)
    func aPushWhoseAnswerIsLostIsRetriedAndAppliedOnce(backend: TestBackend) async throws {
        try await LiveServer.run(backend) { server in
            let admin = try await server.clinic.admin()
            let doctor = try await server.clinic.addDoctor("House", admin: admin)
            let start = TestTime.tomorrow.addingTimeInterval(10 * 3600)
            try await server.clinic.addWindow(doctor, start: start, slots: 2)
            let device = try await Device.signIn(try await server.clinic.addPatient("Carol"), at: server)
            try await device.sync()

            let booked = try device.book(doctor.id, at: start, reason: "headache")
            // The server handles the push, then the answer never reaches the device.
            device.network.once(.dropResponse) { $0.isPush }
            let report = try await device.sync()

            #expect(device.network.count("droppedResponse") == 1)
            #expect(report.applied == 1 && report.rejected == 0)
            #expect(try device.replica.outbox().isEmpty)
            #expect(try device.replica.rejections().isEmpty)
            let onServer = try await server.clinic.appointments(as: admin)
            #expect(onServer.map(\.id) == [booked.id])
            #expect(onServer.first?.status == .booked)
            #expect(try device.localAppointments()[booked.id]?.pending == false)

            // The server handled mutation 1 once: one stored result, lastMutationId 1.
            #expect(try await server.database.scalar("SELECT count(*) FROM sync_mutations") == 1)
            #expect(try device.replica.status().lastMutationId == 1)
        }
    }

    @Test(arguments: TestBackend.all)
    func aPullWhoseAnswerIsLostIsRetriedWithoutLosingRows(backend: TestBackend) async throws {
        try await LiveServer.run(backend) { server in
            let admin = try await server.clinic.admin()
            let doctor = try await server.clinic.addDoctor("Quinn", admin: admin)
            let start = TestTime.tomorrow.addingTimeInterval(10 * 3600)
            try await server.clinic.addWindow(doctor, start: start, slots: 2)
            let device = try await Device.signIn(try await server.clinic.addPatient("Dora"), at: server)
            device.network.once(.dropResponse) { $0.isPull }
            device.network.once(.dropRequest) { $0.isPull }
            try await device.sync()
            #expect(try device.replica.doctors().map(\.id) == [doctor.id])
            #expect(try device.replica.slots(doctorId: doctor.id, day: TestTime.day(of: start)).count == 2)
        }
    }
}
