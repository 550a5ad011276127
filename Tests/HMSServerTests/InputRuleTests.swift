import Foundation
import GRDB
import HMSSyncCore
import HMSWebSupport
import HMSTestSupport
import Hummingbird
import Testing
@testable import HMSServer

/// U+1F600: one scalar, four UTF-8 bytes.
private let wide = "\u{1F600}"

/// The UTF-8 bytes of a text (Swift's `==` treats NFC and NFD as equal; storage does not).
private func utf8(_ text: String?) -> [UInt8]? { text.map { Array($0.utf8) } }

extension API {
    /// Pushes `mutations` (ids from 1) as a fresh client and answers the results.
    func pushFresh(_ token: String, _ mutations: [JSON], sourceLocation: SourceLocation = #_sourceLocation) async throws
        -> [MutationResult]
    {
        let numbered = mutations.enumerated().map { index, mutation -> JSON in
            var mutation = mutation
            mutation["id"] = index + 1
            return mutation
        }
        let body: JSON = ["clientId": UUID().uuidString.lowercased(), "schemaVersion": 1, "mutations": numbered]
        let response: PushResponse = try expectOK(
            try await post("/v1/sync/push", token: token, json: body), sourceLocation: sourceLocation)
        return response.results
    }

    /// Registers a patient with exactly these fields.
    func postRegister(name: String = "Pat Patient", email: String = TestAccounts.uniqueEmail(), password: String = "patient-password")
        async throws -> Reply
    {
        try await post("/v1/auth/register", json: ["name": name, "email": email, "password": password])
    }

    /// Creates a doctor as the admin with exactly these fields.
    func postDoctor(_ admin: String, name: String = "Dr Quinn", email: String = TestAccounts.uniqueEmail("doctor"),
                      specialty: String = "cardiology") async throws -> Reply
    {
        try await post(
            "/v1/admin/doctors", token: admin,
            json: ["name": name, "email": email, "password": "doctor-password", "specialty": specialty])
    }
}

/// An email of exactly `scalars` Unicode scalars, `@example.com` included.
private func email(scalars: Int) -> String {
    let domain = "@example.com"
    return String(repeating: "\u{E9}", count: scalars - domain.count) + domain
}

@Suite("CONTRACT §9.1: text limits, in scalars and bytes, at every door (HTTP)")
struct TextLimitDoorTests {
    @Test("a name of 200 four-byte scalars is accepted, 201 is refused", arguments: TestBackend.all)
    func registerName(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let user: User = try expectOK(try await api.postRegister(name: String(repeating: wide, count: 200)), 201)
            #expect(user.name.unicodeScalars.count == 200 && user.name.utf8.count == 800)
            expectError(try await api.postRegister(name: String(repeating: wide, count: 201)), 400, "VALIDATION", field: "name")
        }
    }

    @Test("a name counts scalars, not characters: 101 letters with a combining mark (202 scalars) is refused",
          arguments: TestBackend.all)
    func registerNameScalars(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            expectError(try await api.postRegister(name: String(repeating: "x\u{301}", count: 101)), 400, "VALIDATION", field: "name")
            _ = try expectOK(try await api.postRegister(name: String(repeating: "x\u{301}", count: 100)), 201, as: User.self)
        }
    }

    @Test("an email of 254 scalars is accepted, 255 is refused", arguments: TestBackend.all)
    func emailLength(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            _ = try expectOK(try await api.postRegister(email: email(scalars: 254)), 201, as: User.self)
            expectError(try await api.postRegister(email: email(scalars: 255)), 400, "VALIDATION", field: "email")
        }
    }

    @Test("a doctor's name and specialty: 200 four-byte scalars accepted, 201 refused", arguments: TestBackend.all)
    func doctorFields(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let admin = try await api.adminToken()
            let doctor: Doctor = try expectOK(
                try await api.postDoctor(
                    admin, name: String(repeating: wide, count: 200), specialty: String(repeating: wide, count: 200)), 201)
            #expect(doctor.specialty.unicodeScalars.count == 200)
            expectError(try await api.postDoctor(admin, name: String(repeating: wide, count: 201)), 400, "VALIDATION",
                        field: "name")
            expectError(try await api.postDoctor(admin, specialty: String(repeating: wide, count: 201)), 400, "VALIDATION",
                        field: "specialty")
        }
    }

    @Test("a booking reason and a cancel reason: 1,000 four-byte scalars accepted, 1,001 refused",
          arguments: TestBackend.all)
    func reasons(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            let patient = practice.patient.accessToken
            let doctorId = practice.doctor.id
            expectError(try await api.book(patient, doctorId: doctorId, start: practice.slot(0),
                                           reason: String(repeating: wide, count: 1_001)), 400, "VALIDATION", field: "reason")
            let booked = try await api.bookOK(
                patient, doctorId: doctorId, start: practice.slot(0), reason: String(repeating: wide, count: 1_000))
            #expect(booked.reason?.unicodeScalars.count == 1_000)
            expectError(try await api.cancel(patient, booked.id, reason: String(repeating: wide, count: 1_001)), 400,
                        "VALIDATION", field: "reason")
            let cancelled: Appointment = try expectOK(
                try await api.cancel(patient, booked.id, reason: String(repeating: wide, count: 1_000)))
            #expect(cancelled.cancelReason?.utf8.count == 4_000)
        }
    }

    @Test("the same limits hold in a push: a reason of 1,001 scalars is rejected VALIDATION, 1,000 applied",
          arguments: TestBackend.all)
    func pushReason(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            let results = try await api.pushFresh(practice.patient.accessToken, [
                ["name": "book", "args": ["appointmentId": UUID().uuidString.lowercased(), "doctorId": practice.doctor.id,
                                          "start": iso(practice.slot(0)), "reason": String(repeating: wide, count: 1_001)]],
                ["name": "book", "args": ["appointmentId": UUID().uuidString.lowercased(), "doctorId": practice.doctor.id,
                                          "start": iso(practice.slot(1)), "reason": String(repeating: wide, count: 1_000)]],
            ])
            #expect(results.map(\.status) == [.rejected, .applied])
            #expect(results[0].code == "VALIDATION")
        }
    }
}

@Suite("CONTRACT §9.1: control and format characters are refused in every text field (HTTP)")
struct ControlCharacterDoorTests {
    @Test("register: a name or email with a control or format character is refused",
          arguments: TestBackend.all, [("name", "Ann\u{202E}a"), ("name", "Ann\ta"), ("name", "Ann\u{0}a"), ("email", "ann\u{200B}@example.com")])
    func register(backend: TestBackend, _ row: (String, String)) async throws {
        let (field, value) = row
        try await TestServer(backend).run { api in
            if field == "name" {
                expectError(try await api.postRegister(name: value), 400, "VALIDATION", field: field)
            } else {
                expectError(try await api.postRegister(email: value), 400, "VALIDATION", field: field)
            }
        }
    }

    @Test("admin doctor creation: name, email or specialty with a control or format character is refused",
          arguments: TestBackend.all)
    func doctor(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let admin = try await api.adminToken()
            expectError(try await api.postDoctor(admin, name: "Dr\u{7}Bell"), 400, "VALIDATION", field: "name")
            expectError(try await api.postDoctor(admin, email: "dr\u{FEFF}@example.com"), 400, "VALIDATION", field: "email")
            expectError(try await api.postDoctor(admin, specialty: "cardio\nlogy"), 400, "VALIDATION", field: "specialty")
        }
    }

    @Test("a reason with U+200B (Cf) is refused, over REST and in a push", arguments: TestBackend.all)
    func bookingReason(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            let patient = practice.patient.accessToken
            expectError(try await api.book(patient, doctorId: practice.doctor.id, start: practice.slot(0), reason: "see\u{200B}me"),
                        400, "VALIDATION", field: "reason")
            let results = try await api.pushFresh(patient, [
                ["name": "book", "args": ["appointmentId": UUID().uuidString.lowercased(), "doctorId": practice.doctor.id,
                                          "start": iso(practice.slot(0)), "reason": "see\u{200B}me"]],
            ])
            #expect(results.first?.status == .rejected && results.first?.code == "VALIDATION")
            #expect(try await api.page("/v1/appointments", token: patient, of: Appointment.self).items.isEmpty)
        }
    }

    @Test("a cancel reason with a line feed is refused, over REST and in a push", arguments: TestBackend.all)
    func cancelReason(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            let patient = practice.patient.accessToken
            let booked = try await api.bookOK(patient, doctorId: practice.doctor.id, start: practice.slot(0))
            expectError(try await api.cancel(patient, booked.id, reason: "moved\naway"), 400, "VALIDATION", field: "reason")
            let results = try await api.pushFresh(patient, [
                ["name": "cancel", "args": ["appointmentId": booked.id, "reason": "moved\naway"]],
            ])
            #expect(results.first?.code == "VALIDATION")
            #expect(try await api.appointment(patient, booked.id).status == .booked)
        }
    }
}

@Suite("CONTRACT §9.1: diagnosis and treatment may span lines; text is stored NFC (HTTP)")
struct NotesAndNormalizationTests {
    static let nfdNotes = "Caf\u{65}\u{301}-au-lait spots:\n\t- left arm\n\t- back"
    static let nfcNotes = "Caf\u{E9}-au-lait spots:\n\t- left arm\n\t- back"

    @Test("diagnosis may hold line feeds and tabs; they are stored NFC, over REST and in a push; CR is refused",
          arguments: TestBackend.all)
    func notes(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        let (practice, first, second) = try await server.run { api in
            let practice = try await api.practice()
            let first = try await api.bookOK(practice.patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(0))
            let second = try await api.bookOK(practice.patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(1))
            return (practice, first.id, second.id)
        }
        try await server.restarted(at: practice.slot(1).addingTimeInterval(600)).run { api in
            let doctor = try await api.login(practice.doctor.email, practice.doctor.password).accessToken
            expectError(try await api.complete(doctor, first, diagnosis: "flu", treatment: "rest\r\nwell"), 400, "VALIDATION",
                        field: "treatment")
            let completed: Appointment = try expectOK(
                try await api.complete(doctor, first, diagnosis: Self.nfdNotes, treatment: Self.nfdNotes))
            #expect(utf8(completed.diagnosis) == utf8(Self.nfcNotes) && utf8(completed.treatment) == utf8(Self.nfcNotes))

            let results = try await api.pushFresh(doctor, [
                ["name": "complete", "args": ["appointmentId": second, "diagnosis": Self.nfdNotes, "treatment": "rest\tdaily"]],
            ])
            #expect(results.first?.status == .applied)
            let stored = try await api.appointment(doctor, second)
            #expect(utf8(stored.diagnosis) == utf8(Self.nfcNotes) && utf8(stored.treatment) == utf8("rest\tdaily"))
        }
    }

    @Test("a name and a reason sent in NFD are stored and answered in NFC", arguments: TestBackend.all)
    func storedNFC(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let user: User = try expectOK(try await api.postRegister(name: "Zoe\u{308} Lo\u{302}pez"), 201)
            #expect(utf8(user.name) == utf8("Zo\u{EB} L\u{F4}pez"))
            let practice = try await api.practice()
            let booked = try await api.bookOK(
                practice.patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(0), reason: "Cafe\u{301}")
            #expect(utf8(booked.reason) == utf8("Caf\u{E9}"))
            #expect(utf8(try await api.appointment(practice.patient.accessToken, booked.id).reason) == utf8("Caf\u{E9}"))
        }
    }

    @Test("a re-sent booking whose reason differs only in normalization answers 200 with the stored appointment",
          arguments: TestBackend.all)
    func resentBooking(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            let patient = practice.patient.accessToken
            let id = UUID().uuidString.lowercased()
            let booked = try await api.bookOK(patient, doctorId: practice.doctor.id, start: practice.slot(0), id: id,
                                              reason: "Caf\u{E9}")
            let again: Appointment = try expectOK(
                try await api.book(patient, doctorId: practice.doctor.id, start: practice.slot(0), id: id, reason: "Cafe\u{301}"))
            #expect(again == booked)
            let results = try await api.pushFresh(patient, [
                ["name": "book", "args": ["appointmentId": id, "doctorId": practice.doctor.id, "start": iso(practice.slot(0)),
                                          "reason": "Cafe\u{301}"]],
            ])
            #expect(results.first?.status == .applied)
        }
    }
}

@Suite("CONTRACT §9.1: emails are unique after NFC and case folding (HTTP)")
struct EmailUniquenessTests {
    @Test("Émile's email in another case or in NFD form is the same account", arguments: TestBackend.all)
    func sameAccount(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let tag = UUID().uuidString.prefix(8).lowercased()
            let registered: User = try expectOK(
                try await api.postRegister(email: "\u{C9}mile.\(tag)@Example.com", password: "emile-password"), 201)
            #expect(utf8(registered.email) == utf8("\u{C9}mile.\(tag)@Example.com"))
            expectError(try await api.postRegister(email: "e\u{301}mile.\(tag)@example.com"), 409, "DUPLICATE", field: "email")
            expectError(try await api.postRegister(email: "E\u{301}MILE.\(tag.uppercased())@EXAMPLE.COM"), 409, "DUPLICATE")
            let admin = try await api.adminToken()
            expectError(try await api.postDoctor(admin, email: "\u{E9}MILE.\(tag)@example.COM"), 409, "DUPLICATE")

            let pair = try await api.login("E\u{301}MILE.\(tag.uppercased())@EXAMPLE.COM", "emile-password")
            #expect(pair.user.id == registered.id)
        }
    }

    @Test("the seeded admin signs in with its email in upper case, and is seeded once", arguments: TestBackend.all)
    func seededAdmin(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run { api in
            _ = try await api.login(TestAccounts.adminEmail.uppercased(), TestAccounts.adminPassword)
        }
        try await server.restarted { $0.adminEmail = TestAccounts.adminEmail.uppercased() }.run { api in
            _ = try await api.login(TestAccounts.adminEmail, TestAccounts.adminPassword)
        }
        #expect(try await server.database.scalar("SELECT count(*) FROM users WHERE role = 'admin'") == 1)
    }

    // SQLite-only: it upgrades a SQLite file made by the pre-v5 migrations; PostgreSQL starts at its own schema.
    @Test("migration v5 keys existing accounts; of two pre-v5 twins (NFC and NFD) the older owns the address")
    func migration() async throws {
        // a real bcrypt hash of "twin-password", made by the server itself
        let source = try await TestServer(.sqlite)
        try await source.run { api in
            _ = try expectOK(try await api.postRegister(email: "seed@example.com", password: "twin-password"), 201, as: User.self)
        }
        let hash = try #require(
            try await source.database.string("SELECT password_hash FROM users WHERE email = 'seed@example.com'"))
        let server = try await TestServer(.sqlite)
        let older = UUID().uuidString.lowercased()
        let younger = UUID().uuidString.lowercased()
        do {
            let queue = try DatabaseQueue(path: server.databasePath)
            try SQLiteStore.migrator.migrate(queue, upTo: "v4-bounded-overlap-triggers")
            try await queue.write { db in
                for (id, email, createdAt) in [(younger, "E\u{301}mile.twin@example.com", 200), (older, "\u{C9}mile.Twin@example.com", 100),
                                               (UUID().uuidString.lowercased(), "Anna.Case@Example.com", 300)] {
                    try db.execute(
                        sql: """
                            INSERT INTO users (id, name, email, role, password_hash, created_at)
                            VALUES (?, 'Twin', ?, 'patient', ?, ?)
                            """,
                        arguments: [id, email, hash, createdAt])
                }
            }
        }
        try await server.run { api in
            #expect(try await api.login("\u{E9}mile.twin@EXAMPLE.com", "twin-password").user.id == older)
            _ = try await api.login("anna.case@example.com", "twin-password")
            expectError(try await api.postRegister(email: "ANNA.CASE@example.com"), 409, "DUPLICATE")
        }
        #expect(try await server.database.scalar("SELECT count(*) FROM users WHERE email_key IS NULL") == 0)
        #expect(try await server.database.scalar("SELECT count(*) FROM users WHERE id = $1", [.text(younger)]) == 1)
    }
}

@Suite("CONTRACT §9.1: push names and refusals never echo what was sent (HTTP)")
struct NoEchoTests {
    @Test("a push name of 33 bytes is rejected VALIDATION without echo", arguments: TestBackend.all, [
        String(repeating: "b", count: 33), "book" + String(repeating: "\u{1F600}", count: 8), "cancel-" + String(repeating: "x", count: 60_000),
    ])
    func longName(backend: TestBackend, name: String) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            let body: JSON = ["clientId": UUID().uuidString.lowercased(), "schemaVersion": 1, "mutations": [
                ["id": 1, "name": name, "args": ["appointmentId": UUID().uuidString.lowercased()]] as JSON,
            ]]
            let reply = try await api.post("/v1/sync/push", token: practice.patient.accessToken, json: body)
            let response: PushResponse = try expectOK(reply)
            #expect(response.results.first?.status == .rejected && response.results.first?.code == "VALIDATION")
            #expect(!reply.text.contains(String(name.prefix(8))))
            #expect(response.lastMutationId == 1)
        }
    }

    @Test("an unknown name of 32 bytes or less is rejected the same way, without echo", arguments: TestBackend.all)
    func unknownName(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            let name = "reschedule-this-please-now-12345"
            #expect(name.utf8.count == 32)
            let results = try await api.pushFresh(practice.patient.accessToken, [["name": name, "args": [:] as JSON]])
            #expect(results.first?.code == "VALIDATION")
            #expect(results.first?.message?.contains("reschedule") == false)
        }
    }

    @Test("a field of the sender's own, with a long name, is not repeated in a refusal")
    func longKey() throws {
        let key = "patient-name-" + String(repeating: "z", count: 500)
        struct Key: CodingKey {
            let stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
        let error = DecodingError.typeMismatch(
            String.self, .init(codingPath: [Key(stringValue: "mutations"), Key(stringValue: "args"), Key(stringValue: key)],
                               debugDescription: ""))
        #expect(error.fieldName == "mutations.args.…")
        #expect(!error.humanMessage.contains("patient-name"))
    }

    @Test("Hummingbird's own 400 texts (which may quote a path parameter) are not passed on")
    func hummingbirdText() {
        let error = ErrorMiddleware.domainError(
            for: HTTPError(.badRequest, message: "Parameter 'secret-value' can not be converted"))
        #expect(error.code == .validation && !error.message.contains("secret-value"))
    }
}

@Suite("CONTRACT §9.1: JSON nesting is bounded before decoding (HTTP)")
struct NestingTests {
    static func nested(_ depth: Int) -> String {
        String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
    }

    @Test("a body nested 17 levels is 400 VALIDATION; 16 levels passes the bound", arguments: TestBackend.all)
    func registerDepth(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            // an unknown key is ignored, so only the bound can refuse the body
            let deep = #"{"name": "Ann", "email": "\#(TestAccounts.uniqueEmail())", "password": "patient-password", "x": \#(Self.nested(16))}"#
            expectError(try await api.post("/v1/auth/register", body: deep), 400, "VALIDATION", field: "body")
            let fits = #"{"name": "Ann", "email": "\#(TestAccounts.uniqueEmail())", "password": "patient-password", "x": \#(Self.nested(15))}"#
            _ = try expectOK(try await api.post("/v1/auth/register", body: fits), 201, as: User.self)
        }
    }

    @Test("push args nested deeper than the bound refuse the push before decoding, even a million levels",
          arguments: TestBackend.all)
    func pushArgs(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            for depth in [13, 500_000] {
                let body = #"{"clientId": "\#(UUID().uuidString.lowercased())", "schemaVersion": 1, "mutations": [{"id": 1, "name": "book", "args": {"x": \#(Self.nested(depth))}}]}"#
                expectError(try await api.post("/v1/sync/push", token: practice.patient.accessToken, body: body), 400,
                            "VALIDATION", field: "body")
            }
        }
    }

    @Test("brackets inside strings do not count, escaped quotes included", arguments: TestBackend.all)
    func bracketsInStrings(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            let reason = #"say \"[[[[[[[[[[[[[[[[[[[[{{{{{{{{{{{{{{{{{{{{\" twice \\"#
            let body = #"{"doctorId": "\#(practice.doctor.id)", "start": "\#(iso(practice.slot(0)))", "reason": "\#(reason)"}"#
            let booked: Appointment = try expectOK(
                try await api.post("/v1/appointments", token: practice.patient.accessToken, body: body), 201)
            #expect(booked.reason?.hasPrefix("say \"[[[[") == true)
        }
    }
}
