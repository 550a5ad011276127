import Foundation
import HMSSyncCore
import HMSTestSupport
import Logging
import PostgresNIO
import Synchronization
import Testing

@testable import HMSServer

/// One test's clinic on a fresh PostgreSQL database: one store per simulated server (each with
/// its own connection pool, as separate processes would have), people inserted with SQL, and a
/// day far ahead to book on.
struct PostgresClinic: Sendable {
    let stores: [PostgresStore]
    /// The first server's store.
    var store: PostgresStore { stores[0] }

    /// Midnight UTC of the day the tests book on (2033-05-18), far from any real clock.
    static let day = Date(epochSeconds: 1_999_987_200)

    /// `hours` after midnight of ``day``.
    static func at(_ hours: Double) -> Date { day.addingTimeInterval(hours * 3600) }

    /// An admin acting through the store (bookings name their patient).
    static let admin = Actor(userId: id(900), role: .admin)

    /// The id of person `n` (a UUID, as the intents require).
    static func id(_ n: Int) -> String { String(format: "00000000-0000-4000-8000-%012d", n) }

    /// Runs `body` on `servers` stores over one fresh database; skipped without a test server.
    static func run(servers: Int = 1, _ body: (PostgresClinic) async throws -> Void) async throws {
        guard let database = try await PostgresTestDatabase.make() else { try PostgresFoundationTests.skip() }
        var stores: [PostgresStore] = []
        do {
            for _ in 0..<servers {
                stores.append(try await PostgresStore.open(url: database.url, logger: PostgresFoundationTests.logger))
            }
            try await body(PostgresClinic(stores: stores))
        } catch {
            for store in stores { await store.close() }
            try? await database.drop()
            throw error
        }
        for store in stores { await store.close() }
        try await database.drop()
    }

    /// Inserts people straight into `users` (the account part of the store is not needed here).
    func addPeople(_ people: [(id: String, name: String, role: Role)]) async throws {
        try await store.transaction { tx in
            for person in people {
                let email = "\(person.name.lowercased().replacingOccurrences(of: " ", with: "."))@hms.test"
                try tx.execute(
                    """
                    INSERT INTO users (id, name, email, email_key, role, password_hash, specialty, created_at)
                    VALUES (\(person.id), \(person.name), \(email), \(email), \(person.role.rawValue), 'x',
                            \(person.role == .doctor ? "General" : nil), 0)
                    """)
            }
        }
    }

    /// Doctor `1` with a window 09:00–17:00 of 30-minute slots on ``day``, and `patients`
    /// patients numbered from 100.
    func practice(patients: Int) async throws -> (doctor: String, patients: [String]) {
        let doctor = Self.id(1)
        let patientIds = (0..<patients).map { Self.id(100 + $0) }
        try await addPeople([(doctor, "Doctor One", .doctor)] + patientIds.enumerated().map { ($1, "Patient \($0)", .patient) })
        _ = try await store.addWindow(doctorId: doctor, start: Self.at(9), end: Self.at(17), slotMinutes: 30)
        return (doctor, patientIds)
    }

    /// The number `sql` counts.
    func count(_ sql: PostgresQuery) async throws -> Int {
        try await store.read { tx in try tx.query(sql).first?.decode(Int.self) ?? 0 }
    }
}

/// The error `body` throws, as a `DomainError`, or nil when it throws none (or another kind).
func domainError(_ body: () async throws -> Void) async -> DomainError? {
    do {
        try await body()
        return nil
    } catch {
        return error as? DomainError
    }
}

/// A flag one task sets and others read.
final class Flag: Sendable {
    private let state = Mutex(false)
    var isSet: Bool { state.withLock { $0 } }
    func set() { state.withLock { $0 = true } }
}
