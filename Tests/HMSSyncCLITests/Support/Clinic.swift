import Foundation

/// Accounts made over HTTP on a test server: the admin, doctors with availability, patients.
struct Account: Sendable {
    let id: String
    let name: String
    let email: String
    let password: String
}

struct Clinic: Sendable {
    let server: TestServer
    let adminToken: String
    var doctors: [Account] = []
    var patients: [Account] = []

    static let password = "password-123"

    init(server: TestServer) async throws {
        self.server = server
        adminToken = try await server.http.token(email: TestServer.adminEmail, password: TestServer.adminPassword)
    }

    /// Creates a doctor and gives them `windows` (`start`, `end`, `slotMinutes`).
    @discardableResult
    mutating func addDoctor(_ name: String, specialty: String = "General", windows: [(Date, Date, Int)] = []) async throws -> Account {
        let email = "\(name.lowercased().filter(\.isLetter))-\(UUID().uuidString.prefix(6))@hms.test"
        let doctor = try await server.http.object(
            "POST", "/v1/admin/doctors",
            ["name": name, "email": email, "password": Self.password, "specialty": specialty], token: adminToken, expect: 201)
        let account = Account(id: doctor["id"] as! String, name: name, email: email, password: Self.password)
        if !windows.isEmpty {
            let token = try await server.http.token(email: email, password: Self.password)
            for (start, end, minutes) in windows {
                try await server.http.object(
                    "POST", "/v1/doctors/me/availability",
                    ["start": Time.text(start), "end": Time.text(end), "slotMinutes": minutes], token: token, expect: 201)
            }
        }
        doctors.append(account)
        return account
    }

    @discardableResult
    mutating func addPatient(_ name: String) async throws -> Account {
        let email = "\(name.lowercased().filter(\.isLetter))-\(UUID().uuidString.prefix(6))@hms.test"
        let user = try await server.http.object(
            "POST", "/v1/auth/register", ["name": name, "email": email, "password": Self.password], expect: 201)
        let account = Account(id: user["id"] as! String, name: name, email: email, password: Self.password)
        patients.append(account)
        return account
    }

    var admin: Account { Account(id: "", name: "Administrator", email: TestServer.adminEmail, password: TestServer.adminPassword) }
}

enum Time {
    static func text(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// Midnight UTC `days` days from today.
    static func midnight(inDays days: Int) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(byAdding: .day, value: days, to: calendar.startOfDay(for: Date()))!
    }

    /// `YYYY-MM-DD` of a UTC instant.
    static func day(_ date: Date) -> String { String(text(date).prefix(10)) }
}
