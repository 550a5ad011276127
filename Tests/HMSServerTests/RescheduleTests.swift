import Foundation
import HMSSyncCore
import HMSTestSupport
import HTTPTypes
import Testing

@Suite("CONTRACT §9.8: POST /v1/appointments/{id}/reschedule")
struct RescheduleTests {
    @Test("a move is 201 with the new appointment; the old one is CANCELLED with cancelReason rescheduled",
          arguments: TestBackend.all)
    func move(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            let old = try await api.bookOK(
                practice.patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(0), reason: "cough")
            let reply = try await api.reschedule(practice.patient.accessToken, old.id, start: practice.slot(3))
            let moved: Appointment = try expectOK(reply, 201)
            #expect(moved.id != old.id && moved.start == practice.slot(3) && moved.end == practice.slot(4))
            #expect(moved.status == .booked && moved.doctorId == old.doctorId && moved.patientId == old.patientId)
            #expect(moved.reason == "cough", "no reason keeps the old one's")
            let before: Appointment = try expectOK(try await api.get("/v1/appointments/\(old.id)", token: practice.patient.accessToken))
            #expect(before.status == .cancelled && before.cancelReason == "rescheduled")
            let slots: Page<Slot> = try expectOK(try await api.get(
                "/v1/doctors/\(practice.doctor.id)/slots?date=\(TestTime.dateString(practice.slot(0)))", token: practice.patient.accessToken))
            #expect(slots.items.filter { !$0.free }.map(\.start) == [practice.slot(3)], "the old slot is free again")
        }
    }

    @Test("re-sending the same newAppointmentId with the same content is 200 with the stored new appointment",
          arguments: TestBackend.all)
    func resend(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            let old = try await api.bookOK(practice.patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(0))
            let newId = UUID().uuidString.lowercased()
            let first = try await api.reschedule(
                practice.patient.accessToken, old.id, start: practice.slot(2), newAppointmentId: newId, reason: "later")
            #expect(first.status.code == 201)
            let again = try await api.reschedule(
                practice.patient.accessToken, old.id, start: practice.slot(2), newAppointmentId: newId, reason: "later")
            #expect(again.status.code == 200 && again.text == first.text)
            // the same id with other content is a new move of a cancelled appointment
            expectError(
                try await api.reschedule(
                    practice.patient.accessToken, old.id, start: practice.slot(4), newAppointmentId: newId),
                409, "INVALID_TRANSITION")
        }
    }

    @Test("a refused move changes nothing: SLOT_TAKEN with alternatives that never offer the current slot",
          arguments: TestBackend.all)
    func refusedMoveChangesNothing(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            let other = try await api.registerPatient("Other Patient")
            let old = try await api.bookOK(practice.patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(2))
            _ = try await api.bookOK(other.accessToken, doctorId: practice.doctor.id, start: practice.slot(1))
            let body = expectError(
                try await api.reschedule(practice.patient.accessToken, old.id, start: practice.slot(1)), 409, "SLOT_TAKEN")
            #expect(body?.details?["alternatives"]?.slots?.map(\.start) == [practice.slot(3), practice.slot(4), practice.slot(5)])
            let still: Appointment = try expectOK(try await api.get("/v1/appointments/\(old.id)", token: practice.patient.accessToken))
            #expect(still == old)
            let mine: Page<Appointment> = try await api.page("/v1/appointments", token: practice.patient.accessToken)
            #expect(mine.items.map(\.id) == [old.id])
        }
    }

    @Test("the old appointment never conflicts with the new one: a move into an overlapping slot of another window length",
          arguments: TestBackend.all)
    func oldNeverConflicts(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice(slotMinutes: 60)
            let old = try await api.bookOK(practice.patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(1))
            // the same start again: the patient's and the doctor's time is their own old appointment's
            let moved: Appointment = try expectOK(
                try await api.reschedule(practice.patient.accessToken, old.id, start: practice.slot(1), reason: "same time"), 201)
            #expect(moved.start == old.start && moved.id != old.id)
        }
    }

    @Test("the check order: FORBIDDEN, VALIDATION, NOT_FOUND, INVALID_TRANSITION, then the booking's (DUPLICATE, OUTSIDE_AVAILABILITY)",
          arguments: TestBackend.all)
    func checkOrder(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            let other = try await api.registerPatient("Other Patient")
            let old = try await api.bookOK(practice.patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(0))
            let others = try await api.bookOK(other.accessToken, doctorId: practice.doctor.id, start: practice.slot(5))
            expectError(try await api.reschedule(practice.doctor.accessToken, old.id, start: practice.slot(1)), 403, "FORBIDDEN")
            expectError(
                try await api.reschedule(practice.patient.accessToken, old.id, start: practice.slot(1), newAppointmentId: "x"),
                400, "VALIDATION", field: "newAppointmentId")
            expectError(try await api.reschedule(practice.patient.accessToken, others.id, start: practice.slot(1)), 404, "NOT_FOUND")
            expectError(
                try await api.reschedule(practice.patient.accessToken, UUID().uuidString, start: practice.slot(1)), 404, "NOT_FOUND")
            expectError(
                try await api.reschedule(practice.patient.accessToken, old.id, start: practice.slot(1), newAppointmentId: others.id),
                409, "DUPLICATE")
            expectError(
                try await api.reschedule(practice.patient.accessToken, old.id, start: practice.slot(1).addingTimeInterval(600)),
                422, "OUTSIDE_AVAILABILITY")
            let unchanged: Appointment = try expectOK(try await api.get("/v1/appointments/\(old.id)", token: practice.admin))
            #expect(unchanged.status == .booked)
            // an admin moves any patient's appointment
            let moved: Appointment = try expectOK(try await api.reschedule(practice.admin, others.id, start: practice.slot(4)), 201)
            #expect(moved.patientId == other.id)
            expectError(try await api.reschedule(practice.admin, others.id, start: practice.slot(3)), 409, "INVALID_TRANSITION")
        }
    }

    @Test("a move after the old appointment's start is 422 TOO_LATE, as for cancel", arguments: TestBackend.all)
    func tooLate(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        let (practice, old) = try await server.run { api in
            let practice = try await api.practice(day: 1)
            _ = try await api.addWindow(
                practice.doctor, start: TestTime.day(3, hour: 9), end: TestTime.day(3, hour: 10), slotMinutes: 30)
            let old = try await api.bookOK(practice.patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(0))
            return (practice, old)
        }
        try await server.restarted(at: old.start.addingTimeInterval(60)).run { api in
            let patient = try await api.login(practice.patient.user.email, practice.patient.password)
            expectError(try await api.reschedule(patient.accessToken, old.id, start: TestTime.day(3, hour: 9)), 422, "TOO_LATE")
        }
    }
}
