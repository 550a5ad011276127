import Foundation
import HMSSyncCore
import HMSTestSupport
import Logging
import PostgresNIO
import Synchronization
import Testing

@testable import HMSServer

@Suite("PostgreSQL foundations: URL, start-up errors, migrations, schema rules")
struct PostgresFoundationTests {
    static let logger = Logger(label: "hms.test.postgres")

    /// A fresh database, or the test ends as skipped when no test server is named (outside CI).
    static func freshDatabase() async throws -> PostgresTestDatabase {
        guard let database = try await PostgresTestDatabase.make() else { try skip() }
        return database
    }

    /// Ends the running test as skipped, saying why.
    static func skip() throws -> Never {
        try Test.cancel("PostgreSQL tests skipped: \(PostgresTestDatabase.variable) is not set")
    }

    /// Runs `body` on a connector to a fresh database.
    static func withConnector(_ body: (PostgresConnector) async throws -> Void) async throws {
        let database = try await freshDatabase()
        do {
            let connector = try await PostgresConnector.open(url: database.url, logger: logger)
            do {
                try await body(connector)
            } catch {
                try? await connector.shutdown()
                throw error
            }
            try await connector.shutdown()
        } catch {
            try? await database.drop()
            throw error
        }
        try await database.drop()
    }

    /// A doctor `d1`/`d2` and patients `p1`/`p2`.
    static func addPeople(_ connector: PostgresConnector) async throws {
        try await connector.write { transaction in
            for (id, role) in [("d1", "doctor"), ("d2", "doctor"), ("p1", "patient"), ("p2", "patient")] {
                try transaction.execute(
                    """
                    INSERT INTO users (id, name, email, email_key, role, password_hash, created_at)
                    VALUES (\(id), \(id), \(id + "@x.test"), \(id + "@x.test"), \(role), 'hash', 0)
                    """)
            }
        }
    }

    static func book(
        _ transaction: PostgresTransaction, _ id: String, doctor: String, patient: String, start: Int64, end: Int64,
        status: AppointmentStatus = .booked
    ) throws {
        try transaction.execute(
            """
            INSERT INTO appointments (id, patient_id, doctor_id, start, "end", status, created_at, updated_at)
            VALUES (\(id), \(patient), \(doctor), \(start), \(end), \(status.rawValue), 0, 0)
            """)
    }

    /// The error `body` throws inside a write, or nil when it commits.
    static func failure(_ connector: PostgresConnector, _ body: @escaping @Sendable (PostgresTransaction) throws -> Void)
        async -> (any Error)?
    {
        do {
            try await connector.write(body)
            return nil
        } catch {
            return error
        }
    }

    @Test("two servers migrating one database at once end with one schema")
    func concurrentMigrations() async throws {
        let database = try await Self.freshDatabase()
        async let first = PostgresConnector.open(url: database.url, logger: Self.logger)
        async let second = PostgresConnector.open(url: database.url, logger: Self.logger)
        let connectors = try await [first, second]
        let (migrations, meta) = try await connectors[1].read { transaction in
            let migrations = try transaction.query("SELECT id FROM schema_migrations").map { try $0.decode(String.self) }
            let meta = try transaction.query("SELECT key, value FROM meta ORDER BY key").map {
                try $0.decode((String, String).self)
            }
            return (migrations, meta)
        }
        #expect(migrations.sorted() == PostgresMigrations.all.map(\.id).sorted())
        #expect(meta.map(\.0) == [BusyId.metaKey, "databaseId"])
        #expect(BusyId.key(hex: meta[0].1) != nil)
        #expect(meta[1].1.count == 32 && meta[1].1.allSatisfy(\.isHexDigit))
        for connector in connectors { try await connector.shutdown() }
        try await database.drop()
    }

    @Test("an overlapping active appointment is refused: SLOT_TAKEN for the doctor, PATIENT_BUSY for the patient")
    func overlapConstraints() async throws {
        try await Self.withConnector { connector in
            try await Self.addPeople(connector)
            try await connector.write { try Self.book($0, "a1", doctor: "d1", patient: "p1", start: 3_600, end: 5_400) }

            let doctorClash = await Self.failure(connector) {
                try Self.book($0, "a2", doctor: "d1", patient: "p2", start: 5_000, end: 6_800)
            }
            #expect(doctorClash.flatMap(PostgresFailure.overlapCode) == .slotTaken)
            let patientClash = await Self.failure(connector) {
                try Self.book($0, "a3", doctor: "d2", patient: "p1", start: 3_000, end: 4_000)
            }
            #expect(patientClash.flatMap(PostgresFailure.overlapCode) == .patientBusy)

            // Back to back is no overlap, and a cancelled appointment holds no time.
            #expect(await Self.failure(connector) {
                try Self.book($0, "a4", doctor: "d1", patient: "p2", start: 5_400, end: 7_200)
                try Self.book($0, "a5", doctor: "d2", patient: "p1", start: 3_600, end: 5_400, status: .cancelled)
            } == nil)
        }
    }

    @Test("final states stay final at the database")
    func finalStates() async throws {
        try await Self.withConnector { connector in
            try await Self.addPeople(connector)
            try await connector.write { transaction in
                try Self.book(transaction, "a1", doctor: "d1", patient: "p1", start: 3_600, end: 5_400)
                try transaction.execute("UPDATE appointments SET status = 'CANCELLED' WHERE id = 'a1'")
            }
            let reopened = await Self.failure(connector) {
                try $0.execute("UPDATE appointments SET status = 'BOOKED' WHERE id = 'a1'")
            }
            #expect((reopened as? PSQLError)?.raisedMessage == "INVALID_TRANSITION")
            let status = try await connector.read {
                try $0.query("SELECT status FROM appointments WHERE id = 'a1'").first?.decode(String.self)
            }
            #expect(status == "CANCELLED")
        }
    }

    @Test("the audit log refuses updates and deletes")
    func auditAppendOnly() async throws {
        try await Self.withConnector { connector in
            try await connector.write {
                try $0.execute(
                    """
                    INSERT INTO audit_log (id, at, action, entity, outcome, request_id, client_ip)
                    VALUES ('e1', 0, 'login', 'session', 'ok', 'r1', '127.0.0.1')
                    """)
            }
            for statement: PostgresQuery in ["UPDATE audit_log SET outcome = 'x'", "DELETE FROM audit_log", "TRUNCATE audit_log"] {
                let refused = await Self.failure(connector) { try $0.execute(statement) }
                #expect((refused as? PSQLError)?.raisedMessage == "the audit log is append-only")
            }
            let count = try await connector.read { try $0.query("SELECT count(*) FROM audit_log").first?.decode(Int.self) }
            #expect(count == 1)
        }
    }

    @Test("recordChange moves an entity to the end of the change order")
    func changeOrder() async throws {
        try await Self.withConnector { connector in
            try await connector.write { transaction in
                try transaction.recordChange(.appointment, id: "a1", doctorId: "d1", patientId: "p1")
                try transaction.recordChange(.appointment, id: "a2", doctorId: "d1", patientId: "p2")
                try transaction.recordChange(.appointment, id: "a1", doctorId: "d1", patientId: "p1", deleted: true)
            }
            let rows = try await connector.read {
                try $0.query("SELECT entity_id, deleted FROM changes ORDER BY seq").map { try $0.decode((String, Bool).self) }
            }
            #expect(rows.map(\.0) == ["a2", "a1"])
            #expect(rows.map(\.1) == [false, true])
        }
    }

    @Test("a change seq is never visible while a lower one is still uncommitted")
    func changesInCommitOrder() async throws {
        try await Self.withConnector { connector in
            // The first writer draws its seq, then holds its transaction open; the second draws
            // and commits meanwhile. Without the changes lock a reader would see the second's
            // higher seq before the first's, and a pull would move its cursor past it.
            let drawn = HoldingFlag()
            let release = HoldingFlag()
            async let first: Void = connector.write {
                try $0.recordChange(.appointment, id: "slow")
                drawn.set()
                // Holds its transaction open until the reader has looked (at most 30 s).
                let deadline = Date().addingTimeInterval(30)
                while !release.isSet && Date() < deadline { usleep(10_000) }
            }
            // The second starts only once the first has drawn its seq, however loaded the machine.
            while !drawn.isSet { try await Task.sleep(for: .milliseconds(20)) }
            async let second: Void = connector.write { try $0.recordChange(.appointment, id: "fast") }
            try await Task.sleep(for: .milliseconds(300))
            let meanwhile = try await connector.read {
                try $0.query("SELECT entity_id FROM changes").map { try $0.decode(String.self) }
            }
            #expect(meanwhile.isEmpty)
            release.set()
            _ = try await (first, second)
            let order = try await connector.read {
                try $0.query("SELECT entity_id FROM changes ORDER BY seq").map { try $0.decode(String.self) }
            }
            #expect(order == ["slow", "fast"])
        }
    }

    @Test("a savepoint rolls back only its own part")
    func savepoints() async throws {
        try await Self.withConnector { connector in
            try await Self.addPeople(connector)
            let kept = try await connector.write { transaction in
                try Self.book(transaction, "a1", doctor: "d1", patient: "p1", start: 3_600, end: 5_400)
                let clash = (try? transaction.savepoint {
                    try Self.book(transaction, "a2", doctor: "d1", patient: "p2", start: 3_600, end: 5_400)
                }) == nil
                return try (clash, transaction.query("SELECT id FROM appointments").map { try $0.decode(String.self) })
            }
            #expect(kept.0)
            #expect(kept.1 == ["a1"])
        }
    }

    @Test("a transaction that gets no connection in time answers 503 UNAVAILABLE")
    func leaseTimeout() async throws {
        let database = try await Self.freshDatabase()
        let connector = try await PostgresConnector.open(
            url: database.url, logger: Self.logger, maximumConnections: 1, leaseTimeout: .seconds(1))
        // The pool's one connection is made before the holder asks for it, so a slow connect on a
        // loaded machine can't make the holder itself time out.
        #expect(await Self.failure(connector) { try $0.execute("SELECT 1") } == nil)
        let holding = HoldingFlag()
        async let holder: Int = connector.write {
            holding.set()
            return try $0.execute("SELECT pg_sleep(3)")
        }
        while !holding.isSet { try await Task.sleep(for: .milliseconds(20)) }
        let waiting = await Self.failure(connector) { try $0.execute("SELECT 1") }
        #expect((waiting as? DomainError)?.code == .unavailable)
        _ = try await holder
        // Once the connection is free again, transactions go through.
        #expect(await Self.failure(connector) { try $0.execute("SELECT 1") } == nil)
        try await connector.shutdown()
        try await database.drop()
    }

    /// The `ConfigError` line `open(url:)` gives for `url`.
    static func startError(_ url: String) async -> String? {
        do {
            let connector = try await PostgresConnector.open(url: url, logger: logger)
            try? await connector.shutdown()
            return nil
        } catch let error as ConfigError {
            return error.description
        } catch {
            return "not a ConfigError: \(error)"
        }
    }

    @Test("a URL without a password says the password is missing")
    func missingPassword() async throws {
        let line = await Self.startError("postgres://hms@127.0.0.1:5432/hms")
        #expect(line?.hasPrefix("HMS_DATABASE_URL: ") == true)
        #expect(line?.contains("no password for PostgreSQL user 'hms'") == true)
    }

    @Test("an unreachable database names host and port, not the password")
    func unreachable() async throws {
        let (fd, port) = try #require(LoopbackSocket.listen())
        close(fd)
        let line = await Self.startError("postgres://hms:very-secret-word@127.0.0.1:\(port)/hms")
        #expect(line == "HMS_DATABASE_URL: cannot reach PostgreSQL at 127.0.0.1:\(port)")
    }

    @Test("a refused password names the user, not the password")
    func wrongPassword() async throws {
        guard let server = try PostgresTestDatabase.serverURL() else { try Self.skip() }
        var url = try #require(URLComponents(string: server))
        url.password = "not-the-password-42"
        let user = try #require(url.user)
        let text = try #require(url.string)
        let line = try #require(await Self.startError(text))
        #expect(line == "HMS_DATABASE_URL: PostgreSQL refused the password of user '\(user)'")
        #expect(!line.contains("not-the-password-42"))
    }

    @Test("URL parsing: defaults, percent-decoding and sslmode")
    func urlParsing() throws {
        let local = try PostgresURL("postgresql://h%40ms:p%2Fw@localhost/clinic")
        #expect(local.user == "h@ms" && local.password == "p/w" && local.port == 5432 && local.database == "clinic")
        #expect(local.tlsMode == .disable)
        let remote = try PostgresURL("postgres://hms:pw@db.example:6543")
        #expect(remote.tlsMode == .require && remote.port == 6543 && remote.database == "hms")
        #expect(try PostgresURL("postgres://hms:pw@db.example/hms?sslmode=prefer").tlsMode == .prefer)
        #expect(!remote.description.contains("pw"))
        #expect(throws: ConfigError.self) { try PostgresURL("postgres://hms:pw@db.example/hms?sslmode=verify-ca") }
    }
}

/// Set once the holding transaction has its connection.
private final class HoldingFlag: Sendable {
    private let state = Mutex(false)
    var isSet: Bool { state.withLock { $0 } }
    func set() { state.withLock { $0 = true } }
}
