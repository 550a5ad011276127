import Foundation
import HMSSyncCore
import HMSTestSupport
import Testing

@Suite("CONTRACT §9.2: a taken slot's 409 offers alternatives")
struct AlternativesTests {
    static func starts(_ body: ErrorBody?) -> [Date]? {
        body?.details?["alternatives"]?.slots?.map(\.start)
    }

    @Test("SLOT_TAKEN carries up to three of the doctor's free slots from the requested start, earliest first",
          arguments: TestBackend.all)
    func nextFreeSlots(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice()  // 09:00–12:00, six 30-minute slots
            let other = try await api.registerPatient("Other Patient")
            for index in [1, 3] {
                _ = try await api.bookOK(other.accessToken, doctorId: practice.doctor.id, start: practice.slot(index))
            }
            let body = expectError(
                try await api.book(practice.patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(1)),
                409, "SLOT_TAKEN")
            // slot 0 is before the requested start; slot 3 is taken
            #expect(Self.starts(body) == [practice.slot(2), practice.slot(4), practice.slot(5)])
            #expect(body?.details?["alternatives"]?.slots?.first?.end == practice.slot(3))
        }
    }

    @Test("slots that overlap the patient's own appointments are not offered; an admin's booking is judged for its patient",
          arguments: TestBackend.all)
    func patientsOwnTime(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            let second = try await api.createDoctor(admin: practice.admin, name: "Dr Second")
            _ = try await api.addWindow(second, start: practice.window.start, end: practice.window.end, slotMinutes: 30)
            let other = try await api.registerPatient("Other Patient")
            _ = try await api.bookOK(other.accessToken, doctorId: practice.doctor.id, start: practice.slot(0))
            _ = try await api.bookOK(practice.patient.accessToken, doctorId: second.id, start: practice.slot(1))
            let body = expectError(
                try await api.book(
                    practice.admin, doctorId: practice.doctor.id, start: practice.slot(0), patientId: practice.patient.id),
                409, "SLOT_TAKEN")
            #expect(Self.starts(body) == [practice.slot(2), practice.slot(3), practice.slot(4)])
        }
    }

    @Test("no free slot within 14 days: details.alternatives is an empty list", arguments: TestBackend.all)
    func none(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice(slotMinutes: 60, day: 2)
            let other = try await api.registerPatient("Other Patient")
            for index in 0..<3 {
                _ = try await api.bookOK(other.accessToken, doctorId: practice.doctor.id, start: practice.slot(index))
            }
            // a window 15 days on is past the horizon
            _ = try await api.addWindow(
                practice.doctor, start: TestTime.day(17, hour: 9), end: TestTime.day(17, hour: 10), slotMinutes: 60)
            let reply = try await api.book(practice.patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(0))
            let body = expectError(reply, 409, "SLOT_TAKEN")
            #expect(Self.starts(body) == [])
            #expect(reply.text.contains(#""alternatives":[]"#))
        }
    }

    @Test("other refusals carry no alternatives", arguments: TestBackend.all)
    func onlySlotTaken(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            let second = try await api.createDoctor(admin: practice.admin, name: "Dr Second")
            _ = try await api.addWindow(second, start: practice.window.start, end: practice.window.end, slotMinutes: 30)
            _ = try await api.bookOK(practice.patient.accessToken, doctorId: second.id, start: practice.slot(0))
            let busy = expectError(
                try await api.book(practice.patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(0)),
                409, "PATIENT_BUSY")
            #expect(busy?.details?["alternatives"] == nil)
        }
    }
}
