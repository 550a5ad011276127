import Foundation
import HMSSyncCore
import HMSTestSupport
import HTTPTypes
import Testing

/// The practice plus a booked appointment, another doctor and another patient.
struct Crowd: Sendable {
    let practice: Practice
    let appointment: Appointment
    let otherDoctor: DoctorAccount
    let otherPatient: Account

    var admin: String { practice.admin }
    var doctor: DoctorAccount { practice.doctor }
    var patient: Account { practice.patient }
}

extension API {
    func crowd() async throws -> Crowd {
        let practice = try await practice()
        let appointment = try await bookOK(
            practice.patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(0))
        let otherDoctor = try await createDoctor(admin: practice.admin, name: "Dr Other")
        let otherPatient = try await registerPatient("Other Patient")
        return Crowd(practice: practice, appointment: appointment, otherDoctor: otherDoctor, otherPatient: otherPatient)
    }
}

@Suite("CONTRACT §2, §4: roles and object-level access")
struct RoleTests {
    enum Caller: String, Sendable { case admin, doctor, patient }

    /// Role-forbidden calls: each must be 403 FORBIDDEN.
    static let forbidden: [(Caller, HTTPRequest.Method, String, String)] = [
        (.patient, .post, "/v1/admin/doctors", "creating a doctor"),
        (.doctor, .post, "/v1/admin/doctors", "creating a doctor"),
        (.patient, .post, "/v1/admin/doctors/{doctor}/blacklist", "blacklisting"),
        (.doctor, .post, "/v1/admin/doctors/{doctor}/unblacklist", "unblacklisting"),
        (.doctor, .post, "/v1/appointments", "booking"),
        (.patient, .post, "/v1/appointments/{appointment}/complete", "completing"),
        (.admin, .post, "/v1/appointments/{appointment}/complete", "completing"),
        (.doctor, .post, "/v1/appointments/{appointment}/cancel", "cancelling"),
        (.patient, .post, "/v1/doctors/me/availability", "adding availability"),
        (.admin, .post, "/v1/doctors/me/availability", "adding availability"),
        (.patient, .delete, "/v1/doctors/me/availability/{window}", "removing availability"),
        (.patient, .get, "/v1/doctors/me/availability", "reading own availability"),
        (.patient, .post, "/v1/doctors/me/schedule", "adding a weekly schedule"),
        (.admin, .post, "/v1/doctors/me/schedule", "adding a weekly schedule"),
    ]

    @Test("a role that may not do this gets 403 FORBIDDEN", arguments: TestBackend.all, forbidden)
    func forbiddenForRole(backend: TestBackend, _ row: (Caller, HTTPRequest.Method, String, String)) async throws {
        let (caller, method, path, _) = row  // the last column names the case
        try await TestServer(backend).run { api in
            let crowd = try await api.crowd()
            let token = switch caller {
            case .admin: crowd.admin
            case .doctor: crowd.doctor.accessToken
            case .patient: crowd.patient.accessToken
            }
            let uri = path.replacingOccurrences(of: "{doctor}", with: crowd.doctor.id)
                .replacingOccurrences(of: "{appointment}", with: crowd.appointment.id)
                .replacingOccurrences(of: "{window}", with: crowd.practice.window.id)
            let body: JSON = [
                "doctorId": crowd.doctor.id, "start": iso(crowd.practice.slot(1)), "diagnosis": "flu", "treatment": "rest",
                "name": "X", "email": TestAccounts.uniqueEmail(), "password": "password1", "specialty": "x",
                "end": iso(crowd.practice.slot(2)), "slotMinutes": 30, "patientId": crowd.patient.id,
            ]
            let reply = try await api.request(method, uri, token: token, json: method == .post ? body : nil)
            expectError(reply, 403, "FORBIDDEN")
        }
    }

    @Test("the role check comes before the body: a doctor's malformed booking is still 403", arguments: TestBackend.all)
    func roleBeforeBody(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let crowd = try await api.crowd()
            let reply = try await api.post("/v1/appointments", token: crowd.doctor.accessToken, body: "{nonsense")
            expectError(reply, 403, "FORBIDDEN")
        }
    }

    @Test("another patient can neither read nor cancel an appointment: 404, not 403", arguments: TestBackend.all)
    func otherPatient(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let crowd = try await api.crowd()
            let id = crowd.appointment.id
            expectError(try await api.get("/v1/appointments/\(id)", token: crowd.otherPatient.accessToken), 404, "NOT_FOUND")
            expectError(try await api.cancel(crowd.otherPatient.accessToken, id), 404, "NOT_FOUND")
            let still: Appointment = try expectOK(try await api.get("/v1/appointments/\(id)", token: crowd.patient.accessToken))
            #expect(still.status == .booked)
        }
    }

    @Test("another doctor can neither read nor complete an appointment: 404", arguments: TestBackend.all)
    func otherDoctor(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let crowd = try await api.crowd()
            let id = crowd.appointment.id
            expectError(try await api.get("/v1/appointments/\(id)", token: crowd.otherDoctor.accessToken), 404, "NOT_FOUND")
            expectError(try await api.complete(crowd.otherDoctor.accessToken, id), 404, "NOT_FOUND")
        }
    }

    @Test("the appointment's own doctor, its patient and the admin can read it", arguments: TestBackend.all)
    func ownersRead(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let crowd = try await api.crowd()
            for token in [crowd.admin, crowd.doctor.accessToken, crowd.patient.accessToken] {
                let found: Appointment = try expectOK(try await api.get("/v1/appointments/\(crowd.appointment.id)", token: token))
                #expect(found == crowd.appointment)
            }
            expectError(
                try await api.get("/v1/appointments/\(UUID().uuidString.lowercased())", token: crowd.admin), 404,
                "NOT_FOUND")
        }
    }

    @Test("doctors' and patients' lists show only their own, whatever filter they pass", arguments: TestBackend.all)
    func listsAreScoped(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let crowd = try await api.crowd()
            let practice = crowd.practice
            // the other doctor gets a window and a booking from the other patient
            _ = try await api.addWindow(
                crowd.otherDoctor, start: practice.window.start, end: practice.window.end, slotMinutes: 30)
            let theirs = try await api.bookOK(
                crowd.otherPatient.accessToken, doctorId: crowd.otherDoctor.id, start: practice.slot(0))

            let doctorList = try await api.page(
                "/v1/appointments?doctorId=\(crowd.otherDoctor.id)", token: crowd.doctor.accessToken, of: Appointment.self)
            #expect(doctorList.items.map(\.id) == [crowd.appointment.id])

            let patientList = try await api.page(
                "/v1/appointments?patientId=\(crowd.otherPatient.id)", token: crowd.patient.accessToken,
                of: Appointment.self)
            #expect(patientList.items.map(\.id) == [crowd.appointment.id])

            let adminList = try await api.page(
                "/v1/appointments?patientId=\(crowd.otherPatient.id)", token: crowd.admin, of: Appointment.self)
            #expect(adminList.items.map(\.id) == [theirs.id])
        }
    }
}
