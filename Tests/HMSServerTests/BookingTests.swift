import Foundation
import HMSSyncCore
import HMSTestSupport
import HTTPTypes
import Testing

@Suite("CONTRACT §4: booking")
struct BookingTests {
    @Test("a booking is 201 BOOKED with end = start + slotMinutes and the doctor's and patient's names",
          arguments: TestBackend.all, [15, 30, 60])
    func book(backend: TestBackend, slotMinutes: Int) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice(slotMinutes: slotMinutes)
            let start = practice.slot(2)
            let reply = try await api.book(
                practice.patient.accessToken, doctorId: practice.doctor.id, start: start, reason: "cough")
            let appointment: Appointment = try expectOK(reply, 201)
            #expect(appointment.start == start)
            #expect(appointment.end == start.addingTimeInterval(Double(slotMinutes * 60)))
            #expect(appointment.status == .booked)
            #expect(appointment.patientId == practice.patient.id)
            #expect(appointment.doctorId == practice.doctor.id)
            #expect(appointment.reason == "cough")
            #expect(appointment.diagnosis == nil && appointment.treatment == nil && appointment.cancelReason == nil)
            #expect(appointment.doctor == .init(id: practice.doctor.id, name: "Dr Quinn", specialty: "cardiology"))
            #expect(appointment.patient == .init(id: practice.patient.id, name: "Pat Patient"))
            #expect(UUID(uuidString: appointment.id) != nil && appointment.id == appointment.id.lowercased())
            #expect(Set(try reply.object().keys) == [
                "id", "patientId", "doctorId", "start", "end", "status", "reason", "diagnosis", "treatment",
                "cancelReason", "createdAt", "updatedAt", "doctor", "patient",
            ])
        }
    }

    @Test("a client-made id is kept (in lower case); re-sending it with the same content is 200 with the same body",
          arguments: TestBackend.all)
    func idempotent(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            let id = UUID().uuidString
            let first = try await api.book(
                practice.patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(0), id: id,
                reason: "check-up")
            #expect(first.status == .created)
            #expect(try first.decode(Appointment.self).id == id.lowercased())
            let again = try await api.book(
                practice.patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(0),
                id: id.lowercased(), reason: "check-up")
            #expect(again.status == .ok)
            #expect(again.text == first.text)
        }
    }

    @Test("the same id with other content is 409 DUPLICATE",
          arguments: TestBackend.all, ["start", "reason", "doctor", "patient"])
    func duplicateId(backend: TestBackend, changed: String) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            let other = try await api.createDoctor(admin: practice.admin)
            _ = try await api.addWindow(other, start: practice.window.start, end: practice.window.end, slotMinutes: 30)
            let otherPatient = try await api.registerPatient()
            let id = UUID().uuidString.lowercased()
            _ = try await api.bookOK(
                practice.patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(0), id: id, reason: "a")
            let reply = try await api.book(
                changed == "patient" ? otherPatient.accessToken : practice.patient.accessToken,
                doctorId: changed == "doctor" ? other.id : practice.doctor.id,
                start: changed == "start" ? practice.slot(1) : practice.slot(0), id: id,
                reason: changed == "reason" ? "b" : "a")
            expectError(reply, 409, "DUPLICATE")
        }
    }

    @Test("a patient books for themself: a patientId they send is ignored", arguments: TestBackend.all)
    func patientIdIgnored(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            let other = try await api.registerPatient()
            let appointment = try await api.bookOK(
                practice.patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(0), patientId: other.id)
            #expect(appointment.patientId == practice.patient.id)
        }
    }

    @Test("an admin must name the patient: missing is 400 VALIDATION, unknown is 404, a real one books",
          arguments: TestBackend.all)
    func adminBooks(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            let missing = try await api.book(practice.admin, doctorId: practice.doctor.id, start: practice.slot(0))
            expectError(missing, 400, "VALIDATION", field: "patientId")
            let unknown = try await api.book(
                practice.admin, doctorId: practice.doctor.id, start: practice.slot(0),
                patientId: UUID().uuidString.lowercased())
            expectError(unknown, 404, "NOT_FOUND")
            let notAPatient = try await api.book(
                practice.admin, doctorId: practice.doctor.id, start: practice.slot(0), patientId: practice.doctor.id)
            expectError(notAPatient, 404, "NOT_FOUND")
            let booked = try await api.bookOK(
                practice.admin, doctorId: practice.doctor.id, start: practice.slot(0), patientId: practice.patient.id)
            #expect(booked.patientId == practice.patient.id)
        }
    }

    @Test("a taken slot is 409 SLOT_TAKEN; cancelling frees it", arguments: TestBackend.all)
    func slotTaken(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            let other = try await api.registerPatient()
            let first = try await api.bookOK(
                practice.patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(0))
            expectError(
                try await api.book(other.accessToken, doctorId: practice.doctor.id, start: practice.slot(0)), 409,
                "SLOT_TAKEN")
            #expect(try await api.cancel(practice.patient.accessToken, first.id).status == .ok)
            _ = try await api.bookOK(other.accessToken, doctorId: practice.doctor.id, start: practice.slot(0))
        }
    }

    @Test("one patient at two doctors at the same time is 409 PATIENT_BUSY, also when the slots only partly overlap",
          arguments: TestBackend.all)
    func patientBusy(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice(slotMinutes: 60)
            let second = try await api.createDoctor(admin: practice.admin, name: "Dr Second")
            // the second doctor works 09:15–11:30 in 45-minute slots
            _ = try await api.addWindow(
                second, start: TestTime.day(2, hour: 9, minute: 15), end: TestTime.day(2, hour: 11, minute: 30),
                slotMinutes: 45)
            // the patient is busy 10:00–11:00
            _ = try await api.bookOK(practice.patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(1))
            for start in [TestTime.day(2, hour: 10), TestTime.day(2, hour: 10, minute: 45)] {
                let reply = try await api.book(practice.patient.accessToken, doctorId: second.id, start: start)
                expectError(reply, 409, "PATIENT_BUSY")
            }
            // touching is fine: 09:15–10:00 ends where the first one starts
            _ = try await api.bookOK(
                practice.patient.accessToken, doctorId: second.id, start: TestTime.day(2, hour: 9, minute: 15))
        }
    }

    @Test("a start that is not a slot start inside availability is 422 OUTSIDE_AVAILABILITY",
          arguments: TestBackend.all, [-60, 15, 30 + 15, 180, 24 * 60])
    func outside(backend: TestBackend, minutesAfterWindowStart: Int) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            let start = practice.window.start.addingTimeInterval(Double(minutesAfterWindowStart * 60))
            let reply = try await api.book(practice.patient.accessToken, doctorId: practice.doctor.id, start: start)
            expectError(reply, 422, "OUTSIDE_AVAILABILITY")
        }
    }

    @Test("booking a slot that has started is 422 IN_PAST", arguments: TestBackend.all)
    func inPast(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            let yesterday = try await api.addWindow(
                practice.doctor, start: TestTime.day(-1, hour: 9), end: TestTime.day(-1, hour: 10), slotMinutes: 30)
            let reply = try await api.book(
                practice.patient.accessToken, doctorId: practice.doctor.id, start: yesterday.start)
            expectError(reply, 422, "IN_PAST")
        }
    }

    @Test("an unknown doctor is 404 NOT_FOUND, as is a patient's id used as a doctor's", arguments: TestBackend.all)
    func unknownDoctor(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            for doctorId in [UUID().uuidString.lowercased(), practice.patient.id] {
                let reply = try await api.book(practice.patient.accessToken, doctorId: doctorId, start: practice.slot(0))
                expectError(reply, 404, "NOT_FOUND")
            }
        }
    }

    @Test("bad booking fields are 400 VALIDATION naming the field",
          arguments: TestBackend.all, [
              (["start": "{S}"] as JSON, "doctorId"),
              (["doctorId": "{D}"], "start"),
              (["doctorId": "not-a-uuid", "start": "{S}"], "doctorId"),
              (["doctorId": "{D}", "start": "{S}", "id": "not-a-uuid"], "id"),
              (["doctorId": "{D}", "start": "2026-99-99T00:00:00Z"], "start"),
              (["doctorId": "{D}", "start": "{S}", "reason": String(repeating: "r", count: 1_001)], "reason"),
          ])
    func badFields(backend: TestBackend, _ row: (JSON, String)) async throws {
        let (body, field) = row
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            var filled = body
            for (key, value) in body {
                guard let text = value as? String else { continue }
                filled[key] = text.replacingOccurrences(of: "{S}", with: iso(practice.slot(0)))
                    .replacingOccurrences(of: "{D}", with: practice.doctor.id)
            }
            let reply = try await api.post("/v1/appointments", token: practice.patient.accessToken, json: filled)
            expectError(reply, 400, "VALIDATION", field: field)
        }
    }
}
