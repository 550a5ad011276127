import Foundation
import HMSSyncCore

/// A signed-in user of a test server.
public struct Account: Sendable {
    public let user: User
    public let password: String
    public let tokens: TokenPair

    public init(user: User, password: String, tokens: TokenPair) {
        self.user = user
        self.password = password
        self.tokens = tokens
    }

    public var id: String { user.id }
    public var name: String { user.name }
    public var email: String { user.email }
    public var accessToken: String { tokens.accessToken }
    public var refreshToken: String { tokens.refreshToken }
}

/// Users and availability, set up over HTTP the way the clinic would, on a real server.
public struct ClinicBuilder: Sendable {
    public let rest: RESTClient

    public init(rest: RESTClient) {
        self.rest = rest
    }

    struct Credentials: Encodable { let email: String; let password: String }
    struct NewPatient: Encodable { let name: String; let email: String; let password: String }
    struct NewDoctor: Encodable { let name: String; let email: String; let password: String; let specialty: String }
    struct NewWindow: Encodable { let start: Date; let end: Date; let slotMinutes: Int }

    public func login(_ email: String, _ password: String) async throws -> Account {
        let pair = try await rest.expect(
            "POST", "/v1/auth/login", json: Credentials(email: email, password: password), as: TokenPair.self)
        return Account(user: pair.user, password: password, tokens: pair)
    }

    /// The seeded admin, signed in.
    public func admin() async throws -> Account { try await login(TestAccounts.adminEmail, TestAccounts.adminPassword) }

    /// Registers a patient and signs them in.
    public func addPatient(_ name: String) async throws -> Account {
        let email = TestAccounts.uniqueEmail(name)
        _ = try await rest.expect(
            "POST", "/v1/auth/register",
            json: NewPatient(name: name, email: email, password: TestAccounts.patientPassword), as: User.self)
        return try await login(email, TestAccounts.patientPassword)
    }

    /// Creates a doctor as `admin`, signs them in, and gives them `windows` (start, end, slot minutes).
    public func addDoctor(
        _ name: String, admin: Account, specialty: String = "General", windows: [(Date, Date, Int)] = []
    ) async throws -> Account {
        let email = TestAccounts.uniqueEmail(name)
        _ = try await rest.expect(
            "POST", "/v1/admin/doctors", token: admin.accessToken,
            json: NewDoctor(name: name, email: email, password: TestAccounts.doctorPassword, specialty: specialty),
            as: Doctor.self)
        let doctor = try await login(email, TestAccounts.doctorPassword)
        for (start, end, slotMinutes) in windows {
            try await addWindow(doctor, start: start, end: end, slotMinutes: slotMinutes)
        }
        return doctor
    }

    /// Adds the window `start`–`end` of `slotMinutes` slots to the doctor's availability.
    @discardableResult
    public func addWindow(_ doctor: Account, start: Date, end: Date, slotMinutes: Int = 30) async throws
        -> AvailabilityWindow
    {
        try await rest.expect(
            "POST", "/v1/doctors/me/availability", token: doctor.accessToken,
            json: NewWindow(start: start, end: end, slotMinutes: slotMinutes), as: AvailabilityWindow.self)
    }

    /// Adds a window of `slots` slots of `slotMinutes` from `start`.
    @discardableResult
    public func addWindow(_ doctor: Account, start: Date, slots: Int, slotMinutes: Int = 30) async throws
        -> AvailabilityWindow
    {
        try await addWindow(
            doctor, start: start, end: start.addingTimeInterval(TimeInterval(slots * slotMinutes * 60)),
            slotMinutes: slotMinutes)
    }

    /// The appointments `account` sees through `GET /v1/appointments`, every page.
    public func appointments(as account: Account) async throws -> [Appointment] {
        try await rest.all("/v1/appointments", token: account.accessToken)
    }

    /// `GET /v1/doctors/{id}/slots?date=` for the UTC day of `day`.
    public func slots(doctorId: String, day: Date, as account: Account) async throws -> [Slot] {
        try await rest.expect(
            "GET", "/v1/doctors/\(doctorId)/slots?date=\(TestTime.dateString(day))", token: account.accessToken,
            as: Page<Slot>.self
        ).items
    }
}
