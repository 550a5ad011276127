import Foundation
import GRDB
import HMSSyncCore
import PostgresNIO
import Testing

@testable import HMSServer

/// The same accounts and audit rows in a SQLite and a PostgreSQL store: every list, page and
/// cursor must come out the same, including where a locale's order or case folding would differ
/// from SQLite's byte order and ASCII-only folding.
@Suite("PostgreSQL lists accounts and audit rows exactly as SQLite does")
struct PostgresAccountParityTests {
    static let t0 = Date(epochSeconds: 1_800_000_000)

    /// Names a locale sorts differently from bytes, LIKE's wildcards, numerals and twins.
    static let people: [NewUser] = {
        let doctors: [(name: String, specialty: String?)] = [
            ("Alice", "Cardiology"), ("alice", "cardiology"), ("ALICE", "CARDIOLOGY"), ("Bob", "Çardiology"),
            ("bob", "çardiology"), ("Émile", "Kardiologie"), ("émile", nil), ("Zed", "cardiology "), ("zed", "Cardiology"),
            ("Ana", "Cardiology"), ("Ana", "cardiology"), ("10", "ENT"), ("5", "ent"),
        ]
        let patients = [
            "100% Bob", "under_score", "back\\slash", "Zoë", "ß", "Ωmega", "a b", "Ana", "aNA", "Ångström", "z%_\\", "Böb",
            "Ana",
        ]
        // ids run against the names, so a tie on the name is broken by a visibly different order
        var people = doctors.enumerated().map { index, doctor in
            AccountStores.newUser(
                "u\(99 - index)", name: doctor.name, email: "u\(99 - index)@Clinic.Test", role: .doctor,
                specialty: doctor.specialty)
        }
        people += patients.enumerated().map { index, name in
            AccountStores.newUser("u\(50 - index)", name: name, email: "u\(50 - index)@clinic.test")
        }
        people.append(AccountStores.newUser("u01", name: "Carol", email: "bob.smith@clinic.test"))
        return people
    }()

    static func withBoth(_ body: (SQLiteStore, PostgresStore) async throws -> Void) async throws {
        try await AccountStores.withPostgres { postgres in
            try await AccountStores.withSQLite { sqlite in try await body(sqlite, postgres) }
        }
    }

    /// Gives the text columns a locale's order (ICU's root collation: `alice` < `Alice` < `Bob` <
    /// `émile` < `Zed`), as a database made with such a locale would have, so only the queries'
    /// own `COLLATE "C"` can give SQLite's byte order.
    static func useLocaleOrder(_ store: PostgresStore) async throws {
        try await store.transaction { tx in
            for column in ["name", "email", "specialty"] {
                try tx.execute(PostgresQuery(unsafeSQL: #"ALTER TABLE users ALTER COLUMN \#(column) TYPE text COLLATE "und-x-icu""#))
            }
        }
    }

    static func seed(_ store: any AccountStore) async throws {
        for person in people { _ = try await store.createUser(person, now: t0) }
        // an admin with a fixed id (seedAdmin draws a random one), which records no sync change
        _ = try await store.createUser(AccountStores.newUser("u00", name: "Admin", role: .admin), now: t0)
    }

    /// Every page of the directory (ids), each cursor made as the controller makes it.
    static func doctorPages(_ store: any AccountStore, specialty: String?, limit: Int, from start: ListCursor? = nil)
        async throws -> [[String]]
    {
        var pages: [[String]] = []
        var cursor = start
        while true {
            let rows = try await store.doctors(specialty: specialty, after: cursor, limit: limit)
            if !rows.isEmpty { pages.append(rows.map(\.id)) }
            guard rows.count == limit, let last = rows.last else { return pages }
            cursor = ListCursor(key: .text(last.name), id: last.id)
        }
    }

    /// Every page of the admin's account list.
    static func accountPages(
        _ store: any AccountStore, role: Role?, query: String?, limit: Int, from start: ListCursor? = nil
    ) async throws -> [[AccountSummary]] {
        var pages: [[AccountSummary]] = []
        var cursor = start
        while true {
            let rows = try await store.accounts(role: role, matching: query, after: cursor, limit: limit)
            if !rows.isEmpty { pages.append(rows) }
            guard rows.count == limit, let last = rows.last else { return pages }
            cursor = ListCursor(key: .text(last.name), id: last.id)
        }
    }

    @Test("the doctor directory: the same order, specialty matches, pages and cursors")
    func doctorDirectory() async throws {
        try await Self.withBoth { sqlite, postgres in
            try await Self.seed(sqlite)
            try await Self.seed(postgres)
            try await Self.useLocaleOrder(postgres)
            let specialties = [nil, "cardiology", "CARDIOLOGY", "Çardiology", "çARDIOLOGY", "cardiology ", "ENT", "none", "nul\u{0}"]
            for specialty in specialties {
                for limit in [1, 2, 50] {
                    let expected = try await Self.doctorPages(sqlite, specialty: specialty, limit: limit)
                    #expect(try await Self.doctorPages(postgres, specialty: specialty, limit: limit) == expected,
                            "specialty \(specialty ?? "nil"), limit \(limit)")
                }
            }
            // byte order, not a locale's: upper case before lower, accented letters last
            let doctors = Self.people.filter { $0.role == .doctor }
            let byBytes = doctors.sorted {
                $0.name == $1.name ? $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) : $0.name.utf8.lexicographicallyPrecedes($1.name.utf8)
            }
            #expect(try await Self.doctorPages(postgres, specialty: nil, limit: 50) == [byBytes.map(\.id)])
            // NOCASE folds ASCII only: Ç and ç stay apart
            #expect(try await Self.doctorPages(postgres, specialty: "çardiology", limit: 50) == [["u95"]])
            #expect(try await Self.doctorPages(postgres, specialty: "cardiology", limit: 50).flatMap { $0 }.count == 6)

            // cursors no server gave out compare as SQLite compares them (a number as its text)
            for key in [ListCursor.Key.int(5), .int(10), .text(""), .text("Zed"), .text("é"), .text("bob"), .text("5")] {
                for id in ["", "u90", "zzz"] {
                    let cursor = ListCursor(key: key, id: id)
                    let expected = try await Self.doctorPages(sqlite, specialty: nil, limit: 50, from: cursor)
                    #expect(try await Self.doctorPages(postgres, specialty: nil, limit: 50, from: cursor) == expected)
                }
            }
            // PostgreSQL text can't hold U+0000: such a cursor is refused as unreadable
            let nul = await AccountStores.error {
                _ = try await postgres.doctors(specialty: nil, after: ListCursor(key: .text("a\u{0}"), id: "u1"), limit: 5)
            }
            #expect(nul as? DomainError == .validation(field: "cursor", "cursor is not one this server gave out"))
        }
    }

    @Test("the account list: the same order, search matches, pages and cursors")
    func accountList() async throws {
        try await Self.withBoth { sqlite, postgres in
            try await Self.seed(sqlite)
            try await Self.seed(postgres)
            try await Self.useLocaleOrder(postgres)
            let queries = [
                nil, "", "bob", "BOB", "%", "_", "\\", "ali", "ÉMILE", "émile", "Émile", "clinic.TEST", "a_b", "100%", "ß", "SS",
                "Ångström", "ångström", "u9", "@", "z%_\\", "nul\u{0}",
            ]
            for role in [nil] + Role.allCases.map(Optional.some) {
                for query in queries {
                    for limit in [2, 50] {
                        let expected = try await Self.accountPages(sqlite, role: role, query: query, limit: limit)
                        #expect(try await Self.accountPages(postgres, role: role, query: query, limit: limit) == expected,
                                "role \(role?.rawValue ?? "nil"), query \(query ?? "nil"), limit \(limit)")
                    }
                }
            }
            // the wildcards are text: "%" finds the names that hold one, not everyone
            let percent = try await Self.accountPages(postgres, role: nil, query: "%", limit: 50).flatMap { $0 }
            #expect(Set(percent.map(\.name)) == ["100% Bob", "z%_\\"])
            // a match in the email counts; ASCII folds, ö does not
            let bob = try await Self.accountPages(postgres, role: nil, query: "BOB", limit: 50).flatMap { $0 }
            #expect(Set(bob.map(\.name)) == ["Bob", "bob", "100% Bob", "Carol"])

            for key in [ListCursor.Key.int(10), .text("Ana"), .text("a"), .text("Ω")] {
                let cursor = ListCursor(key: key, id: "u45")
                let expected = try await Self.accountPages(sqlite, role: nil, query: nil, limit: 50, from: cursor)
                #expect(try await Self.accountPages(postgres, role: nil, query: nil, limit: 50, from: cursor) == expected)
            }
        }
    }

    @Test("audit pages: the same rows, order, seqs and cursors")
    func auditList() async throws {
        try await Self.withBoth { sqlite, postgres in
            let times: [Int64] = [100, 200, 200, 300, 50, 200, 300, 200, 100]
            let entries = times.enumerated().map { index, at in
                AuditEntry(
                    id: "e\(index)", at: Date(epochSeconds: at), actorId: index.isMultiple(of: 3) ? nil : "a\(index % 3)",
                    actorRole: index.isMultiple(of: 3) ? "system" : "admin", action: "GET /v1/x", entity: "user",
                    entityId: "x\(index)", patientId: index.isMultiple(of: 2) ? "p1" : nil, outcome: "success",
                    requestId: "r\(index)", clientIp: "127.0.0.1")
            }
            for store in [sqlite, postgres] as [any AuditStore] {
                try await store.append(Array(entries[..<4]))
                try await store.append(Array(entries[4...]))
            }
            let filters = [
                AuditFilter(), AuditFilter(from: Date(epochSeconds: 100)), AuditFilter(to: Date(epochSeconds: 200)),
                AuditFilter(actorId: "a1"), AuditFilter(patientId: "p1"), AuditFilter(actorId: "nobody"),
                AuditFilter(from: Date(epochSeconds: 200), to: Date(epochSeconds: 300), patientId: "p1"),
            ]
            for (index, filter) in filters.enumerated() {
                for limit in [1, 2, 50] {
                    let expected = try await Self.auditPages(sqlite, filter, limit: limit)
                    #expect(try await Self.auditPages(postgres, filter, limit: limit) == expected, "filter \(index), limit \(limit)")
                }
            }
            // cursors no server gave out: a numeral text is its number, other text bounds nothing
            for key in [ListCursor.Key.int(200), .text("200"), .text(" 200 "), .text("+200"), .text("abc"), .text("")] {
                let cursor = ListCursor(key: key, id: "3")
                let expected = try await Self.auditPages(sqlite, AuditFilter(), limit: 50, from: cursor)
                #expect(try await Self.auditPages(postgres, AuditFilter(), limit: 50, from: cursor) == expected, "\(key)")
            }
            for store in [sqlite, postgres] as [any AuditStore] {
                let unreadable = await AccountStores.error {
                    _ = try await store.auditEntries(AuditFilter(), after: ListCursor(key: .int(1), id: "x"), limit: 5)
                }
                #expect(unreadable as? DomainError == .validation(field: "cursor", "cursor is not one this server gave out"))
            }
        }
    }

    /// Every page of the audit list as (seq, id) pairs.
    static func auditPages(_ store: any AuditStore, _ filter: AuditFilter, limit: Int, from start: ListCursor? = nil)
        async throws -> [[String]]
    {
        var pages: [[String]] = []
        var cursor = start
        while true {
            let rows = try await store.auditEntries(filter, after: cursor, limit: limit)
            if !rows.isEmpty { pages.append(rows.map { "\($0.seq) \($0.entry.id) \($0.entry.at.epochSeconds)" }) }
            guard rows.count == limit, let last = rows.last else { return pages }
            cursor = ListCursor(key: .int(last.entry.at.epochSeconds), id: String(last.seq))
        }
    }

    @Test("account writes record the same sync changes")
    func changes() async throws {
        try await Self.withBoth { sqlite, postgres in
            for store in [sqlite, postgres] as [any AccountStore] {
                try await Self.seed(store)
                _ = try await store.setBlacklisted(doctorId: "u97", true, now: Self.t0)
                _ = try await store.setBlacklisted(doctorId: "u97", false, now: Self.t0)
                _ = try await store.setBlacklisted(doctorId: "u96", true, now: Self.t0)
                _ = try await store.setDisabled(userId: "u50", true, now: Self.t0)
                try await store.changePassword(userId: "u49", passwordHash: "new", keeping: "none", now: Self.t0)
            }
            let expected = try await sqlite.pool.read { db in
                try Row.fetchAll(db, sql: "SELECT entity, entity_id, doctor_id, patient_id, deleted FROM changes ORDER BY seq")
                    .map { row -> String in
                        let deleted: Bool = row["deleted"]
                        let doctorId: String? = row["doctor_id"]
                        let patientId: String? = row["patient_id"]
                        return "\(row["entity"] as String) \(row["entity_id"] as String) \(doctorId ?? "-") \(patientId ?? "-") \(deleted)"
                    }
            }
            let changes = try await postgres.read { tx in
                try tx.query("SELECT entity, entity_id, doctor_id, patient_id, deleted FROM changes ORDER BY seq").map { row in
                    let (entity, id, doctorId, patientId, deleted) = try row.decode((String, String, String?, String?, Bool).self)
                    return "\(entity) \(id) \(doctorId ?? "-") \(patientId ?? "-") \(deleted)"
                }
            }
            #expect(changes == expected)
            #expect(changes.count == Self.people.count)
        }
    }

    @Test("concurrent refreshes on PostgreSQL leave one unspent token in the family")
    func oneLiveToken() async throws {
        try await AccountStores.withPostgres { store in
            _ = try await store.createUser(AccountStores.newUser("p1"), now: Self.t0)
            let family = try await store.startFamily(userId: "p1", refreshHash: "t0", expiresAt: Self.t0 + 3_600, now: Self.t0)
            // refreshes of the token and of its successors, all at once
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        let hash = index < 10 ? "t0" : "t0-\(index - 10)"
                        _ = try await store.rotate(
                            refreshHash: hash, successorHash: "t0-\(index)", expiresAt: Self.t0 + 3_600, grace: 30,
                            sessionMaxAge: 86_400, now: Self.t0 + 10)
                    }
                }
                try await group.waitForAll()
            }
            let live = try await store.read { tx in
                try tx.query(
                    """
                    SELECT count(*) FROM refresh_tokens
                    WHERE family_id = \(family) AND rotated_at IS NULL AND revoked_at IS NULL
                    """
                ).first?.decode(Int.self)
            }
            #expect(live == 1)
            #expect(try await store.session(userId: "p1", familyId: family)?.live == true)
        }
    }

    @Test("logins racing a blacklisting on PostgreSQL end refused or revoked, never live")
    func loginRacingBlacklist() async throws {
        try await AccountStores.withPostgres { store in
            _ = try await store.createUser(AccountStores.newUser("d1", role: .doctor), now: Self.t0)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<16 {
                    group.addTask {
                        if index == 8 {
                            _ = try await store.setBlacklisted(doctorId: "d1", true, now: Self.t0)
                            return
                        }
                        do {
                            _ = try await store.startFamily(
                                userId: "d1", refreshHash: "login-\(index)", expiresAt: Self.t0 + 3_600, now: Self.t0)
                        } catch let error as DomainError where error.code == .blacklisted {}
                    }
                }
                try await group.waitForAll()
            }
            let live = try await store.read { tx in
                try tx.query("SELECT count(*) FROM token_families WHERE user_id = 'd1' AND revoked_at IS NULL")
                    .first?.decode(Int.self)
            }
            #expect(live == 0)
        }
    }

    @Test("the audit log refuses changes through the store's own transactions")
    func auditAppendOnly() async throws {
        try await AccountStores.withPostgres { store in
            try await store.append([
                AuditEntry(
                    id: "e1", at: Self.t0, actorId: nil, actorRole: nil, action: "GET /v1/x", entity: "user", entityId: nil,
                    patientId: nil, outcome: "success", requestId: "r1", clientIp: "127.0.0.1")
            ])
            for statement: PostgresQuery in ["UPDATE audit_log SET outcome = 'x'", "DELETE FROM audit_log", "TRUNCATE audit_log"] {
                let refused = await AccountStores.error { _ = try await store.transaction { try $0.execute(statement) } }
                #expect((refused as? PSQLError)?.raisedMessage == "the audit log is append-only")
            }
            #expect(try await store.auditEntries(AuditFilter(), after: nil, limit: 5).map(\.entry.id) == ["e1"])
        }
    }
}
