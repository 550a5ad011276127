import Foundation
import HMSSyncCore
import HMSTestSupport
import HTTPTypes
import Testing

/// Four appointments of two doctors (D1, D2) and two patients (P1, P2) over two days:
/// a1 P1–D1 day 2 09:00, a2 P2–D1 day 2 10:00, a3 P1–D2 day 3 09:00, a4 P2–D2 day 3 11:00 (cancelled).
struct Ledger: Sendable {
    let admin: String
    let d1: DoctorAccount
    let d2: DoctorAccount
    let p1: Account
    let p2: Account
    /// a1...a4 by label.
    let ids: [String: String]

    func labels(_ items: [Appointment]) -> [String] {
        items.map { item in ids.first { $0.value == item.id }?.key ?? "?" }
    }
}

extension API {
    func ledger() async throws -> Ledger {
        let admin = try await adminToken()
        let d1 = try await createDoctor(admin: admin, name: "Dr One")
        let d2 = try await createDoctor(admin: admin, name: "Dr Two")
        for doctor in [d1, d2] {
            for day in [2, 3] {
                _ = try await addWindow(
                    doctor, start: TestTime.day(day, hour: 9), end: TestTime.day(day, hour: 12), slotMinutes: 60)
            }
        }
        let p1 = try await registerPatient("P One")
        let p2 = try await registerPatient("P Two")
        let a1 = try await bookOK(p1.accessToken, doctorId: d1.id, start: TestTime.day(2, hour: 9))
        let a2 = try await bookOK(p2.accessToken, doctorId: d1.id, start: TestTime.day(2, hour: 10))
        let a3 = try await bookOK(p1.accessToken, doctorId: d2.id, start: TestTime.day(3, hour: 9))
        let a4 = try await bookOK(p2.accessToken, doctorId: d2.id, start: TestTime.day(3, hour: 11))
        _ = try await cancel(p2.accessToken, a4.id)
        return Ledger(admin: admin, d1: d1, d2: d2, p1: p1, p2: p2,
                      ids: ["a1": a1.id, "a2": a2.id, "a3": a3.id, "a4": a4.id])
    }
}

@Suite("CONTRACT §4: appointment lists")
struct AppointmentListTests {
    /// Admin filters and the appointments they leave, by start ascending.
    static let filters: [(String, [String])] = [
        ("", ["a1", "a2", "a3", "a4"]),
        ("status=CANCELLED", ["a4"]),
        ("status=BOOKED", ["a1", "a2", "a3"]),
        ("doctorId={D1}", ["a1", "a2"]),
        ("patientId={P1}", ["a1", "a3"]),
        ("doctorId={D2}&patientId={P2}", ["a4"]),
        ("date={DAY3}", ["a3", "a4"]),
        ("from={DAY2}T10:00:00Z", ["a2", "a3", "a4"]),
        ("to={DAY3}T09:00:00Z", ["a1", "a2"]),
        ("from={DAY2}T10:00:00Z&to={DAY3}T11:00:00Z", ["a2", "a3"]),
        ("from={DAY3}", ["a3", "a4"]),
        ("to={DAY3}", ["a1", "a2"]),
        ("status=BOOKED&date={DAY3}", ["a3"]),
    ]

    @Test("an admin sees all, filtered by status, doctorId, patientId, date, from (inclusive) and to (exclusive)",
          arguments: TestBackend.all, filters)
    func adminFilters(backend: TestBackend, _ row: (String, [String])) async throws {
        let (query, expected) = row
        try await TestServer(backend).run { api in
            let ledger = try await api.ledger()
            let filled = query.replacingOccurrences(of: "{D1}", with: ledger.d1.id)
                .replacingOccurrences(of: "{D2}", with: ledger.d2.id)
                .replacingOccurrences(of: "{P1}", with: ledger.p1.id)
                .replacingOccurrences(of: "{P2}", with: ledger.p2.id)
                .replacingOccurrences(of: "{DAY2}", with: TestTime.dateString(TestTime.day(2)))
                .replacingOccurrences(of: "{DAY3}", with: TestTime.dateString(TestTime.day(3)))
            let page = try await api.page("/v1/appointments?\(filled)", token: ledger.admin, of: Appointment.self)
            #expect(ledger.labels(page.items) == expected, "\(filled)")
        }
    }

    @Test("bad filters are 400 VALIDATION naming the filter",
          arguments: TestBackend.all, [("status=LATE", "status"), ("doctorId=nope", "doctorId"), ("date=2026-1-1", "date"),
                      ("from=yesterday", "from"), ("to=12:00", "to"), ("limit=ten", "limit")])
    func badFilters(backend: TestBackend, _ row: (String, String)) async throws {
        let (query, field) = row
        try await TestServer(backend).run { api in
            let admin = try await api.adminToken()
            expectError(try await api.get("/v1/appointments?\(query)", token: admin), 400, "VALIDATION", field: field)
        }
    }

    @Test("a patient's list is their own history, newest first, with doctor details", arguments: TestBackend.all)
    func patientNewestFirst(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let ledger = try await api.ledger()
            let page = try await api.page("/v1/appointments", token: ledger.p1.accessToken, of: Appointment.self)
            #expect(ledger.labels(page.items) == ["a3", "a1"])
            #expect(page.items.first?.doctor.name == "Dr Two")
            let p2 = try await api.page("/v1/appointments", token: ledger.p2.accessToken, of: Appointment.self)
            #expect(ledger.labels(p2.items) == ["a4", "a2"])
        }
    }

    @Test("a doctor's list is their own schedule, by start ascending", arguments: TestBackend.all)
    func doctorAscending(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let ledger = try await api.ledger()
            let page = try await api.page("/v1/appointments", token: ledger.d1.accessToken, of: Appointment.self)
            #expect(ledger.labels(page.items) == ["a1", "a2"])
            #expect(page.items.map(\.patient.name) == ["P One", "P Two"])
        }
    }

    @Test("every role's list pages through nextCursor in its own order, each item once",
          arguments: TestBackend.all, ["admin", "d1", "p1"])
    func paging(backend: TestBackend, who: String) async throws {
        try await TestServer(backend).run { api in
            let ledger = try await api.ledger()
            let token = switch who {
            case "admin": ledger.admin
            case "d1": ledger.d1.accessToken
            default: ledger.p1.accessToken
            }
            let whole = try await api.page("/v1/appointments", token: token, of: Appointment.self)
            var walked: [Appointment] = []
            var cursor: String?
            repeat {
                let page = try await api.page(
                    "/v1/appointments?limit=1" + (cursor.map { "&cursor=\($0)" } ?? ""), token: token,
                    of: Appointment.self)
                #expect(page.items.count <= 1)
                walked += page.items
                cursor = page.nextCursor
            } while cursor != nil
            #expect(walked.map(\.id) == whole.items.map(\.id))
        }
    }
}
