import Foundation
import HMSSyncCore
import HMSTestSupport

/// Accounts and windows for the pair tests, made over HTTP on either server.
enum PairClinic {
    static let password = "password-123"

    static func adminToken(_ server: ServerProcess) async throws -> String {
        try await ClinicBuilder(rest: server.rest).admin().accessToken
    }

    /// A doctor with one window of `hours` hours from `start`, in slots of `slotMinutes`.
    static func doctor(_ server: ServerProcess, admin: String, start: Date, hours: Int, slotMinutes: Int) async throws -> String {
        let email = "doctor-\(UUID().uuidString.prefix(8).lowercased())@hms.test"
        let doctor = try await server.rest.object(
            "POST", "/v1/admin/doctors", ["name": "Dr Pair", "email": email, "password": password, "specialty": "General"],
            token: admin, expect: 201)
        let token = try await ClinicBuilder(rest: server.rest).login(email, password).accessToken
        try await server.rest.object(
            "POST", "/v1/doctors/me/availability",
            ["start": iso(start), "end": iso(start.addingTimeInterval(TimeInterval(hours * 3_600))),
             "slotMinutes": slotMinutes],
            token: token, expect: 201)
        return doctor["id"] as! String
    }

    static func patient(_ server: ServerProcess) async throws -> String {
        let email = "patient-\(UUID().uuidString.prefix(8).lowercased())@hms.test"
        let user = try await server.rest.object(
            "POST", "/v1/auth/register", ["name": "Pat Pair", "email": email, "password": password], expect: 201)
        return user["id"] as! String
    }

    /// A push of `book` mutations by an admin device, one per `(id, doctor, start, patient)`.
    static func bookings(clientId: String, _ items: [PairBooking]) -> [String: any Sendable] {
        let mutations: [[String: any Sendable]] = items.map { item in
            ["id": item.id, "name": "book",
             "args": ["appointmentId": item.appointmentId, "doctorId": item.doctorId, "start": iso(item.start),
                      "patientId": item.patientId, "reason": "pair test"]]
        }
        return ["clientId": clientId, "schemaVersion": 1, "mutations": mutations]
    }

    /// Pulls as `clientId` from `cursor` to the end; answers the appointment puts and deletes
    /// seen (id → status, nil for a delete) and the last cursor.
    static func pullToEnd(_ server: ServerProcess, token: String, clientId: String, cursor start: String?)
        async throws -> (appointments: [String: String], cursor: String?)
    {
        var cursor = start
        var seen: [String: String] = [:]
        while true {
            var path = "/v1/sync/pull?clientId=\(clientId)&schemaVersion=1&limit=200"
            if let cursor { path += "&cursor=\(cursor)" }
            let page = try await server.rest.object("GET", path, token: token)
            for change in page["changes"] as? [[String: Any]] ?? [] where change["entity"] as? String == "appointment" {
                if let row = change["row"] as? [String: Any], let id = row["id"] as? String {
                    seen[id] = row["status"] as? String
                }
            }
            cursor = page["cursor"] as? String
            if page["hasMore"] as? Bool != true { return (seen, cursor) }
        }
    }
}

/// One `book` mutation of a pair test's admin device.
struct PairBooking: Sendable {
    let id: Int
    let appointmentId: String
    let doctorId: String
    let start: Date
    let patientId: String
}
