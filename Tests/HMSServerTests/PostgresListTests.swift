import Foundation
import HMSSyncCore
import HMSTestSupport
import Testing

@testable import HMSServer

@Suite("PostgreSQL lists: windows, slots, appointments and metrics page exactly as on SQLite")
struct PostgresListTests {
    static let doctors = [PostgresClinic.id(1), PostgresClinic.id(2)]
    static let patients = (0..<4).map { PostgresClinic.id(100 + $0) }
    /// Fixed appointment ids, so both backends order equal starts by the same ids.
    static let appointmentIds = (0..<8).map {
        String(format: "%08x-0000-4000-8000-000000000000", UInt32(0xf000_0000 - $0 * 0x1111_1111))
    }

    /// The same windows and bookings on any store: doctor 1 has windows on five days, added out
    /// of order; both doctors see patients at the same times, so starts tie across doctors.
    static func seed(_ store: some SchedulingStore) async throws {
        for dayIndex in [3, 0, 4, 1, 2] {
            let start = PostgresClinic.at(24 * Double(dayIndex) + 9)
            _ = try await store.addWindow(doctorId: doctors[0], start: start, end: start.addingTimeInterval(4 * 3600), slotMinutes: 20)
        }
        _ = try await store.addWindow(
            doctorId: doctors[1], start: PostgresClinic.at(9), end: PostgresClinic.at(17), slotMinutes: 30)
        for (index, id) in appointmentIds.enumerated() {
            let intent = BookIntent(
                appointmentId: id, doctorId: doctors[index % 2], start: PostgresClinic.at(9 + Double(index / 2)),
                patientId: patients[index % 4])
            _ = try await store.book(intent, actor: PostgresClinic.admin, now: PostgresStoreTests.now)
        }
    }

    /// Every page of a list, `limit` at a time, each asked after the last item of the one before.
    static func pages<Item>(limit: Int, key: (Item) -> ListCursor, _ page: (ListCursor?) async throws -> [Item])
        async throws -> [[Item]]
    {
        var pages: [[Item]] = []
        var cursor: ListCursor?
        while true {
            let items = try await page(cursor)
            pages.append(items)
            guard items.count == limit, let last = items.last else { return pages }
            cursor = key(last)
        }
    }

    /// What the two backends must agree on for one store.
    struct Answers: Equatable {
        var windows: [[String]] = []
        var slots: [Slot] = []
        var appointments: [String: [[String]]] = [:]
        var metrics: NoShowMetrics?
    }

    static func answers(_ store: some ServerStoreParts) async throws -> Answers {
        var answers = Answers()
        answers.windows = try await pages(limit: 2, key: { ListCursor(key: .int($0.start.epochSeconds), id: $0.id) }) { cursor in
            try await store.windows(doctorId: doctors[0], from: PostgresClinic.at(24), to: nil, after: cursor, limit: 2)
        }.map { $0.map { "\(RFC3339.format($0.start))–\(RFC3339.format($0.end))/\($0.slotMinutes)" } }
        answers.slots = try await store.slots(
            doctorId: doctors[0], day: TimeRange(start: PostgresClinic.day, end: PostgresClinic.at(24)), now: PostgresClinic.at(9.5))
        let actors = [
            "admin": Actor(userId: PostgresClinic.id(900), role: .admin),
            "doctor": Actor(userId: doctors[1], role: .doctor),
            "patient": Actor(userId: patients[0], role: .patient),
        ]
        for (name, actor) in actors {
            answers.appointments[name] = try await pages(
                limit: 3, key: { ListCursor(key: .int($0.start.epochSeconds), id: $0.id) }
            ) { cursor in
                try await store.appointments(actor: actor, filter: AppointmentFilter(), after: cursor, limit: 3)
            }.map { $0.map(\.id) }
        }
        _ = try await store.sweepNoShows(now: PostgresClinic.at(24 * 6), grace: 600, mail: PostgresJobTests.mail)
        answers.metrics = try await store.noShowMetrics()
        return answers
    }

    @Test("the same data answers the same pages, slots and metrics on both backends")
    func sameAsSQLite() async throws {
        try await PostgresClinic.run { clinic in
            let folder = try TempFolder()
            let sqlite = try SQLiteStore(path: (folder.path as NSString).appendingPathComponent("hms.sqlite"))
            let people: [(id: String, name: String, role: Role)] =
                Self.doctors.enumerated().map { ($1, "Doctor \($0)", .doctor) }
                + Self.patients.enumerated().map { ($1, "Patient \($0)", .patient) }
            try await clinic.addPeople(people)
            for person in people {
                _ = try await sqlite.createUser(
                    NewUser(id: person.id, name: person.name, email: "\(person.id)@hms.test", role: person.role, passwordHash: "x",
                            specialty: person.role == .doctor ? "General" : nil),
                    now: PostgresStoreTests.now)
            }
            try await Self.seed(sqlite)
            try await Self.seed(clinic.store)

            let expected = try await Self.answers(sqlite)
            let answered = try await Self.answers(clinic.store)
            #expect(answered == expected)
            #expect(expected.windows.flatMap { $0 }.count == 4 && expected.slots.count == 12)
            #expect(expected.appointments["admin"]?.flatMap { $0 }.count == 8)
            #expect(expected.metrics?.totalNoShows == 8)
            await sqlite.close()
        }
    }
}

/// The parts of a store the list comparison calls, met by both backends.
typealias ServerStoreParts = SchedulingStore & JobStore
