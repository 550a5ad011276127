import Foundation
import HMSSyncCore
import HMSTestSupport
import Testing

/// A signed-in doctor.
struct DoctorAccount: Sendable {
    let doctor: Doctor
    let email: String
    let password: String
    let accessToken: String
    let refreshToken: String
    var id: String { doctor.id }
}

/// The usual cast: the admin, one doctor with a morning window (09:00–12:00 UTC, two days
/// ahead unless told), and one patient.
struct Practice: Sendable {
    let admin: String
    let doctor: DoctorAccount
    let patient: Account
    let window: AvailabilityWindow

    /// The start of the window's slot number `index`.
    func slot(_ index: Int) -> Date { window.start.addingTimeInterval(window.slotLength * Double(index)) }
}

extension API {
    func login(_ email: String, _ password: String) async throws -> TokenPair {
        try expectOK(try await post("/v1/auth/login", json: ["email": email, "password": password]))
    }

    func adminToken() async throws -> String {
        try await login(TestAccounts.adminEmail, TestAccounts.adminPassword).accessToken
    }

    /// Registers a patient and logs them in.
    func registerPatient(_ name: String = "Pat Patient") async throws -> Account {
        let email = TestAccounts.uniqueEmail("patient")
        let password = TestAccounts.patientPassword
        let user: User = try expectOK(
            try await post("/v1/auth/register", json: ["name": name, "email": email, "password": password]), 201)
        let pair = try await login(email, password)
        return Account(user: user, password: password, tokens: pair)
    }

    /// Creates a doctor as the admin and logs them in.
    func createDoctor(admin: String, name: String = "Dr Quinn", specialty: String = "cardiology") async throws
        -> DoctorAccount
    {
        let email = TestAccounts.uniqueEmail("doctor")
        let password = TestAccounts.doctorPassword
        let doctor: Doctor = try expectOK(
            try await post(
                "/v1/admin/doctors", token: admin,
                json: ["name": name, "email": email, "password": password, "specialty": specialty]),
            201)
        let pair = try await login(email, password)
        return DoctorAccount(
            doctor: doctor, email: email, password: password, accessToken: pair.accessToken,
            refreshToken: pair.refreshToken)
    }

    func postWindow(_ token: String, start: Date, end: Date, slotMinutes: Int) async throws -> Reply {
        try await post(
            "/v1/doctors/me/availability", token: token,
            json: ["start": iso(start), "end": iso(end), "slotMinutes": slotMinutes])
    }

    func addWindow(_ doctor: DoctorAccount, start: Date, end: Date, slotMinutes: Int) async throws -> AvailabilityWindow {
        try expectOK(try await postWindow(doctor.accessToken, start: start, end: end, slotMinutes: slotMinutes), 201)
    }

    func book(
        _ token: String, doctorId: String, start: Date, id: String? = nil, reason: String? = nil,
        patientId: String? = nil
    ) async throws -> Reply {
        try await book(token, doctorId: doctorId, start: iso(start), id: id, reason: reason, patientId: patientId)
    }

    func book(
        _ token: String, doctorId: String, start: String, id: String? = nil, reason: String? = nil,
        patientId: String? = nil
    ) async throws -> Reply {
        var body: JSON = ["doctorId": doctorId, "start": start]
        if let id { body["id"] = id }
        if let reason { body["reason"] = reason }
        if let patientId { body["patientId"] = patientId }
        return try await post("/v1/appointments", token: token, json: body)
    }

    func bookOK(
        _ token: String, doctorId: String, start: Date, id: String? = nil, reason: String? = nil,
        patientId: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> Appointment {
        try expectOK(
            try await book(token, doctorId: doctorId, start: start, id: id, reason: reason, patientId: patientId), 201,
            sourceLocation: sourceLocation)
    }

    func cancel(_ token: String, _ id: String, reason: String? = nil) async throws -> Reply {
        try await post("/v1/appointments/\(id)/cancel", token: token, json: reason.map { ["reason": $0] } ?? [:])
    }

    func complete(_ token: String, _ id: String, diagnosis: String = "flu", treatment: String = "rest") async throws
        -> Reply
    {
        try await post(
            "/v1/appointments/\(id)/complete", token: token, json: ["diagnosis": diagnosis, "treatment": treatment])
    }

    func reschedule(
        _ token: String, _ id: String, start: Date, newAppointmentId: String? = nil, reason: String? = nil
    ) async throws -> Reply {
        var body: JSON = ["start": iso(start)]
        if let newAppointmentId { body["newAppointmentId"] = newAppointmentId }
        if let reason { body["reason"] = reason }
        return try await post("/v1/appointments/\(id)/reschedule", token: token, json: body)
    }

    func blacklist(_ admin: String, _ doctorId: String, _ on: Bool = true) async throws -> Reply {
        try await post("/v1/admin/doctors/\(doctorId)/\(on ? "blacklist" : "unblacklist")", token: admin)
    }

    /// A page of a list endpoint.
    func page<Item: Codable & Sendable>(_ uri: String, token: String?, of: Item.Type = Item.self) async throws
        -> Page<Item>
    {
        try expectOK(try await get(uri, token: token))
    }

    /// The admin, one doctor with a window on day `day` from 09:00 to 12:00 UTC, one patient.
    func practice(slotMinutes: Int = 30, day: Int = 2) async throws -> Practice {
        let admin = try await adminToken()
        let doctor = try await createDoctor(admin: admin)
        let window = try await addWindow(
            doctor, start: TestTime.day(day, hour: 9), end: TestTime.day(day, hour: 12), slotMinutes: slotMinutes)
        let patient = try await registerPatient()
        return Practice(admin: admin, doctor: doctor, patient: patient, window: window)
    }
}
