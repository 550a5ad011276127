import Foundation
import HMSSyncCore
import HMSTestSupport
import HTTPTypes
import Testing
@testable import HMSServer

@Suite("CONTRACT §4, §7: a restart with the clock moved past an appointment's start")
struct RestartTests {
    struct Booked: Sendable {
        let doctor: DoctorAccount
        let first: Account
        let second: Account
        let firstAppointment: Appointment
        let secondAppointment: Appointment
        let window: AvailabilityWindow
    }

    @Test("after the start: complete works, cancel is TOO_LATE, booking is IN_PAST, and the data survived",
          arguments: TestBackend.all)
    func clockMovedOn(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        // a window of two hour slots starting one to two hours from now
        let start = TestTime.nextWholeHour.addingTimeInterval(3_600)
        let booked = try await server.run { api in
            let admin = try await api.adminToken()
            let doctor = try await api.createDoctor(admin: admin)
            let window = try await api.addWindow(
                doctor, start: start, end: start.addingTimeInterval(7_200), slotMinutes: 60)
            let first = try await api.registerPatient("First")
            let second = try await api.registerPatient("Second")
            let firstAppointment = try await api.bookOK(
                first.accessToken, doctorId: doctor.id, start: start, reason: "check-up")
            let secondAppointment = try await api.bookOK(
                second.accessToken, doctorId: doctor.id, start: start.addingTimeInterval(3_600))
            expectError(try await api.complete(doctor.accessToken, firstAppointment.id), 422, "TOO_EARLY")
            return Booked(
                doctor: doctor, first: first, second: second, firstAppointment: firstAppointment,
                secondAppointment: secondAppointment, window: window)
        }

        // the server clock now reads 30 minutes into the second appointment
        let offset = Int(start.addingTimeInterval(5_400).timeIntervalSinceNow.rounded(.up))
        try await server.restarted { $0.clockOffset = offset }.run { api in
            // the data survived: the doctor's schedule and window
            let doctor = try await api.login(booked.doctor.email, booked.doctor.password)
            let schedule = try await api.page("/v1/appointments", token: doctor.accessToken, of: Appointment.self)
            #expect(schedule.items == [booked.firstAppointment, booked.secondAppointment])
            let windows = try await api.page(
                "/v1/doctors/me/availability", token: doctor.accessToken, of: AvailabilityWindow.self)
            #expect(windows.items == [booked.window])

            let completed: Appointment = try expectOK(
                try await api.complete(
                    doctor.accessToken, booked.firstAppointment.id, diagnosis: "healthy", treatment: "none"))
            #expect(completed.status == .completed)
            #expect(completed.diagnosis == "healthy" && completed.treatment == "none")

            let second = try await api.login(booked.second.user.email, booked.second.password)
            expectError(try await api.cancel(second.accessToken, booked.secondAppointment.id), 422, "TOO_LATE")
            let still: Appointment = try expectOK(
                try await api.get("/v1/appointments/\(booked.secondAppointment.id)", token: second.accessToken))
            #expect(still.status == .booked)

            // a slot that has started and is taken: IN_PAST comes before SLOT_TAKEN
            let late = try await api.registerPatient("Late")
            expectError(
                try await api.book(late.accessToken, doctorId: booked.doctor.id, start: booked.window.start), 422, "IN_PAST")
            // a start off the slots and in the past: OUTSIDE_AVAILABILITY comes before IN_PAST
            expectError(
                try await api.book(
                    late.accessToken, doctorId: booked.doctor.id, start: booked.window.start.addingTimeInterval(600)),
                422, "OUTSIDE_AVAILABILITY")
        }
    }

    @Test("the first patient's refresh token from before the restart still works after it", arguments: TestBackend.all)
    func tokensSurvive(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        let patient = try await server.run { api in try await api.registerPatient() }
        try await server.restarted { _ in }.run { api in
            #expect(try await api.get("/v1/me", token: patient.accessToken).status == .ok)
            let pair: TokenPair = try expectOK(
                try await api.post("/v1/auth/refresh", json: ["refreshToken": patient.refreshToken]))
            #expect(pair.user == patient.user)
        }
    }
}
