import Foundation
import HMSSyncCore

/// A signed-in user of the live server.
struct Account: Sendable {
    let user: User
    let password: String
    let tokens: TokenPair

    var id: String { user.id }
    var email: String { user.email }
    var token: String { tokens.accessToken }
}

/// Users and availability, set up through HTTP the way the clinic would.
extension LiveServer {
    struct Credentials: Encodable { let email: String; let password: String }
    struct NewPatient: Encodable { let name: String; let email: String; let password: String }
    struct NewDoctor: Encodable { let name: String; let email: String; let password: String; let specialty: String }
    struct NewWindow: Encodable { let start: Date; let end: Date; let slotMinutes: Int }

    func login(_ email: String, _ password: String) async throws -> Account {
        let pair = try await rest.expect(
            "POST", "/v1/auth/login", json: Credentials(email: email, password: password), as: TokenPair.self)
        return Account(user: pair.user, password: password, tokens: pair)
    }

    func admin() async throws -> Account { try await login(adminEmail, adminPassword) }

    func addPatient(_ name: String) async throws -> Account {
        let email = "\(name.lowercased())-\(UUID().uuidString.prefix(6))@example.test"
        _ = try await rest.expect(
            "POST", "/v1/auth/register", json: NewPatient(name: name, email: email, password: "patient-pass"), as: User.self)
        return try await login(email, "patient-pass")
    }

    func addDoctor(_ name: String, admin: Account, specialty: String = "General") async throws -> Account {
        let email = "\(name.lowercased())-\(UUID().uuidString.prefix(6))@example.test"
        _ = try await rest.expect(
            "POST", "/v1/admin/doctors", token: admin.token,
            json: NewDoctor(name: name, email: email, password: "doctor-pass", specialty: specialty), as: Doctor.self)
        return try await login(email, "doctor-pass")
    }

    /// Adds a window of `slots` slots of `slotMinutes` from `start` to the doctor's availability.
    @discardableResult
    func addWindow(_ doctor: Account, start: Date, slots: Int, slotMinutes: Int = 30) async throws -> AvailabilityWindow {
        try await rest.expect(
            "POST", "/v1/doctors/me/availability", token: doctor.token,
            json: NewWindow(start: start, end: start.addingTimeInterval(TimeInterval(slots * slotMinutes * 60)),
                            slotMinutes: slotMinutes),
            as: AvailabilityWindow.self)
    }

    /// The appointments `account` sees through `GET /v1/appointments`, every page.
    func appointments(as account: Account) async throws -> [Appointment] {
        try await rest.all("/v1/appointments", token: account.token)
    }

    /// `GET /v1/doctors/{id}/slots?date=` for a UTC day.
    func slots(doctorId: String, day: Date, as account: Account) async throws -> [Slot] {
        let date = RFC3339.format(day).prefix(10)
        return try await rest.expect("GET", "/v1/doctors/\(doctorId)/slots?date=\(date)", token: account.token, as: Page<Slot>.self)
            .items
    }
}

/// Times the tests book at: whole seconds, in UTC days.
enum TestTime {
    /// The start of tomorrow, UTC: every slot on that day is in the future.
    static var tomorrow: Date {
        let day = 86_400.0
        return Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / day).rounded(.down) * day + day)
    }

    static func day(of date: Date) -> TimeRange {
        let start = Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)
        return TimeRange(start: start, end: start.addingTimeInterval(86_400))
    }

    static var now: Date { Date().wholeSeconds }
}
