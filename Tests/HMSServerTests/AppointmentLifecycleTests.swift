import Foundation
import HMSSyncCore
import HMSTestSupport
import HTTPTypes
import Testing

@Suite("CONTRACT §4: cancelling and completing through HTTP")
struct AppointmentLifecycleTests {
    @Test("cancelling before the start is 200 CANCELLED with the reason; again is 409 INVALID_TRANSITION",
          arguments: TestBackend.all)
    func cancel(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            let booked = try await api.bookOK(
                practice.patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(0))
            let cancelled: Appointment = try expectOK(
                try await api.cancel(practice.patient.accessToken, booked.id, reason: "feeling better"))
            #expect(cancelled.status == .cancelled)
            #expect(cancelled.cancelReason == "feeling better")
            #expect(cancelled.start == booked.start && cancelled.end == booked.end)

            let again = try await api.cancel(practice.patient.accessToken, booked.id, reason: "twice")
            let body = expectError(again, 409, "INVALID_TRANSITION")
            #expect(body?.details == ["from": .string("CANCELLED"), "to": .string("CANCELLED")])
            let stored: Appointment = try expectOK(
                try await api.get("/v1/appointments/\(booked.id)", token: practice.patient.accessToken))
            #expect(stored.cancelReason == "feeling better")
        }
    }

    @Test("cancelling needs no body and no reason", arguments: TestBackend.all)
    func cancelWithoutBody(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            let booked = try await api.bookOK(
                practice.patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(0))
            let reply = try await api.post("/v1/appointments/\(booked.id)/cancel", token: practice.patient.accessToken)
            let cancelled: Appointment = try expectOK(reply)
            #expect(cancelled.status == .cancelled)
            #expect(cancelled.cancelReason == nil)
        }
    }

    @Test("an admin cancels any patient's appointment", arguments: TestBackend.all)
    func adminCancels(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            let booked = try await api.bookOK(
                practice.patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(0))
            let cancelled: Appointment = try expectOK(try await api.cancel(practice.admin, booked.id, reason: "clinic closed"))
            #expect(cancelled.status == .cancelled)
        }
    }

    @Test("completing before the start is 422 TOO_EARLY", arguments: TestBackend.all)
    func completeTooEarly(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            let booked = try await api.bookOK(
                practice.patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(0))
            expectError(try await api.complete(practice.doctor.accessToken, booked.id), 422, "TOO_EARLY")
        }
    }

    @Test("completing a cancelled appointment is 409 INVALID_TRANSITION from CANCELLED to COMPLETED",
          arguments: TestBackend.all)
    func completeCancelled(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            let booked = try await api.bookOK(
                practice.patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(0))
            _ = try await api.cancel(practice.patient.accessToken, booked.id)
            let body = expectError(try await api.complete(practice.doctor.accessToken, booked.id), 409, "INVALID_TRANSITION")
            #expect(body?.details == ["from": .string("CANCELLED"), "to": .string("COMPLETED")])
        }
    }

    @Test("diagnosis and treatment: both non-empty, at most 4,000 characters (checked before the time rule)",
          arguments: TestBackend.all, [
              ("", "rest", 400, "diagnosis"),
              ("  ", "rest", 400, "diagnosis"),
              ("flu", "", 400, "treatment"),
              (String(repeating: "d", count: 4_001), "rest", 400, "diagnosis"),
              ("flu", String(repeating: "t", count: 4_001), 400, "treatment"),
              (String(repeating: "d", count: 4_000), String(repeating: "t", count: 4_000), 422, ""),
          ])
    func notes(backend: TestBackend, _ row: (String, String, Int, String)) async throws {
        let (diagnosis, treatment, status, field) = row
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            let booked = try await api.bookOK(
                practice.patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(0))
            let reply = try await api.complete(
                practice.doctor.accessToken, booked.id, diagnosis: diagnosis, treatment: treatment)
            if status == 400 {
                expectError(reply, 400, "VALIDATION", field: field)
            } else {
                expectError(reply, 422, "TOO_EARLY")
            }
        }
    }

    @Test("a missing note is 400 VALIDATION too", arguments: TestBackend.all, ["diagnosis", "treatment"])
    func missingNote(backend: TestBackend, field: String) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            let booked = try await api.bookOK(
                practice.patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(0))
            var body: JSON = ["diagnosis": "flu", "treatment": "rest"]
            body[field] = nil
            let reply = try await api.post(
                "/v1/appointments/\(booked.id)/complete", token: practice.doctor.accessToken, json: body)
            expectError(reply, 400, "VALIDATION", field: field)
        }
    }

    @Test("cancelling or completing an unknown appointment is 404", arguments: TestBackend.all)
    func unknown(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            let id = UUID().uuidString.lowercased()
            expectError(try await api.cancel(practice.patient.accessToken, id), 404, "NOT_FOUND")
            expectError(try await api.complete(practice.doctor.accessToken, id), 404, "NOT_FOUND")
            expectError(try await api.cancel(practice.patient.accessToken, "not-an-id"), 404, "NOT_FOUND")
        }
    }
}
