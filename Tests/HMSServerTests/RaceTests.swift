import Foundation
import HMSSyncCore
import HMSTestSupport
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("CONTRACT §4: concurrent bookings over real sockets never double-book")
struct RaceTests {
    /// Sends every request of `tokensAndDoctors` at once, each on its own connection; answers the replies.
    static func bookAtOnce(_ api: API, _ bookings: [(token: String, doctorId: String)], start: Date) async throws
        -> [Reply]
    {
        try await withThrowingTaskGroup(of: Reply.self) { group in
            for booking in bookings {
                group.addTask {
                    try await api.onNewConnection { connection in
                        try await connection.book(booking.token, doctorId: booking.doctorId, start: start)
                    }
                }
            }
            var replies: [Reply] = []
            for try await reply in group { replies.append(reply) }
            return replies
        }
    }

    @Test("20 patients book the same slot at once: exactly one 201, the rest 409 SLOT_TAKEN",
          arguments: TestBackend.all)
    func sameSlot(backend: TestBackend) async throws {
        try await TestServer(backend).run(.live) { api in
            let practice = try await api.practice()
            var patients: [Account] = []
            for index in 0..<20 { patients.append(try await api.registerPatient("Racer \(index)")) }
            let replies = try await Self.bookAtOnce(
                api, patients.map { ($0.accessToken, practice.doctor.id) }, start: practice.slot(3))

            #expect(replies.count == 20)
            #expect(replies.filter { $0.status == .created }.count == 1)
            let losers = replies.filter { $0.status != .created }
            #expect(losers.count == 19)
            for loser in losers { expectError(loser, 409, "SLOT_TAKEN") }

            let schedule = try await api.page(
                "/v1/appointments", token: practice.doctor.accessToken, of: Appointment.self)
            #expect(schedule.items.count == 1)
        }
    }

    @Test("one patient books 10 doctors' same-time slots at once: exactly one 201, the rest 409 PATIENT_BUSY",
          arguments: TestBackend.all)
    func samePatient(backend: TestBackend) async throws {
        try await TestServer(backend).run(.live) { api in
            let practice = try await api.practice()
            var doctors: [DoctorAccount] = [practice.doctor]
            for index in 1..<10 {
                let doctor = try await api.createDoctor(admin: practice.admin, name: "Dr \(index)")
                _ = try await api.addWindow(
                    doctor, start: practice.window.start, end: practice.window.end, slotMinutes: 30)
                doctors.append(doctor)
            }
            let replies = try await Self.bookAtOnce(
                api, doctors.map { (practice.patient.accessToken, $0.id) }, start: practice.slot(1))

            #expect(replies.filter { $0.status == .created }.count == 1)
            let losers = replies.filter { $0.status != .created }
            #expect(losers.count == 9)
            for loser in losers { expectError(loser, 409, "PATIENT_BUSY") }

            let history = try await api.page(
                "/v1/appointments", token: practice.patient.accessToken, of: Appointment.self)
            #expect(history.items.count == 1)
        }
    }
}
