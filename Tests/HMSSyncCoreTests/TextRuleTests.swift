import Foundation
import HMSSyncCore
import Testing

/// The UTF-8 bytes of a text: Swift's `==` on strings already treats NFC and NFD as equal, so
/// what is stored is compared byte for byte.
private func bytes(_ text: String?) -> [UInt8]? { text.map { Array($0.utf8) } }

@Suite("CONTRACT §9.1: text limits in Unicode scalars and UTF-8 bytes, after NFC")
struct TextLimitTests {
    /// U+1F600, four UTF-8 bytes.
    static let fourByteScalar = "\u{1F600}"

    @Test("a field of its limit in four-byte scalars is accepted, one more is refused",
          arguments: [
              ("name", TextLimit.name, 200), ("specialty", TextLimit.specialty, 200), ("reason", TextLimit.reason, 1_000),
              ("diagnosis", TextLimit.notes, 4_000), ("email", TextLimit.email, 254),
          ])
    func fourByteScalars(field: String, limit: TextLimit, scalars: Int) throws {
        let atLimit = String(repeating: Self.fourByteScalar, count: scalars)
        #expect(atLimit.utf8.count == 4 * scalars)
        #expect(try FieldRule.text(atLimit, field: field, limit: limit) == atLimit)
        let over = atLimit + Self.fourByteScalar
        #expect(outcome { _ = try FieldRule.text(over, field: field, limit: limit) } == "VALIDATION")
    }

    @Test("a name counts scalars, not characters: 101 letters with a combining mark each (202 scalars) is refused")
    func combiningMarksCount() {
        // U+0301 after x has no precomposed form, so NFC keeps two scalars per character
        let name = String(repeating: "x\u{301}", count: 101)
        #expect(name.count == 101)
        #expect(outcome { _ = try FieldRule.text(name, field: "name", limit: .name) } == "VALIDATION")
        let fits = String(repeating: "x\u{301}", count: 100)
        #expect(outcome { _ = try FieldRule.text(fits, field: "name", limit: .name) } == "ok")
    }

    @Test("limits count after NFC: 200 é written in NFD (400 scalars) is a name of 200")
    func countsAfterNFC() throws {
        let nfd = String(repeating: "e\u{301}", count: 200)
        #expect(nfd.unicodeScalars.count == 400)
        let stored = try FieldRule.text(nfd, field: "name", limit: .name)
        #expect(stored.unicodeScalars.count == 200)
        #expect(bytes(stored) == bytes(String(repeating: "\u{E9}", count: 200)))
    }

    @Test("the refusal names the field and the limit, never the text")
    func refusalNoEcho() {
        let text = "secret-" + String(repeating: "a", count: 1_000)
        do throws(DomainError) {
            _ = try FieldRule.text(text, field: "reason", limit: .reason)
            Issue.record("accepted")
        } catch {
            #expect(error.code == .validation && error.details["field"] == .string("reason"))
            #expect(!error.message.contains("secret"))
            #expect(error.message.utf8.count < 80)
        }
    }
}

@Suite("CONTRACT §9.1: control and format characters (Cc, Cf) are refused in every text field")
struct ControlCharacterTests {
    static let refused: [(String, String)] = [
        ("U+0000 NUL", "\u{0}"), ("U+0007 BEL", "\u{7}"), ("U+000D CR", "\r"), ("U+001B ESC", "\u{1B}"),
        ("U+007F DEL", "\u{7F}"), ("U+0085 NEL", "\u{85}"), ("U+200B zero width space (Cf)", "\u{200B}"),
        ("U+200E left-to-right mark", "\u{200E}"), ("U+202E right-to-left override", "\u{202E}"),
        ("U+2066 isolate", "\u{2066}"), ("U+FEFF byte order mark", "\u{FEFF}"), ("U+E0001 language tag", "\u{E0001}"),
    ]

    @Test("a reason with a control or format character is refused", arguments: refused)
    func reason(label: String, scalar: String) {
        #expect(outcome { _ = try FieldRule.text("see me \(scalar) soon", field: "reason", limit: .reason) } == "VALIDATION",
                "\(label)")
    }

    @Test("a name, specialty or email with a line feed or tab is refused",
          arguments: [("name", TextLimit.name), ("specialty", TextLimit.specialty), ("email", TextLimit.email),
                      ("reason", TextLimit.reason)])
    func lineBreaksOnlyInNotes(field: String, limit: TextLimit) {
        #expect(outcome { _ = try FieldRule.text("a\nb", field: field, limit: limit) } == "VALIDATION")
        #expect(outcome { _ = try FieldRule.text("a\tb", field: field, limit: limit) } == "VALIDATION")
    }

    @Test("diagnosis may hold line feeds and tabs, and no other control or format character")
    func notes() throws {
        let text = "Findings:\n\t- cough\n\t- fever"
        #expect(bytes(try FieldRule.text(text, field: "diagnosis", limit: .notes)) == bytes(text))
        for (label, scalar) in Self.refused {
            #expect(outcome { _ = try FieldRule.text("a\(scalar)b", field: "diagnosis", limit: .notes) } == "VALIDATION",
                    "\(label)")
        }
    }

    @Test("ordinary text of any script passes untouched", arguments: [
        "Dr Zoë Ó Súilleabháin", "Иван Петров", "李小龍", "محمد", "Kardiologie & Innere", "José 🩺",
    ])
    func ordinaryText(text: String) throws {
        #expect(bytes(try FieldRule.text(text, field: "name", limit: .name)) == bytes(text.precomposedStringWithCanonicalMapping))
    }
}

@Suite("CONTRACT §9.1: text is stored NFC, a re-sent booking compares after NFC")
struct NormalizationTests {
    static let nfc = "Caf\u{E9} au lait"
    static let nfd = "Cafe\u{301} au lait"

    @Test("every intent's text comes out of IntentRule in NFC")
    func intentsNormalize() throws {
        let patient = Actor(userId: "00000000-0000-0000-0000-00000000000b", role: .patient)
        let doctor = Actor(userId: "00000000-0000-0000-0000-00000000000d", role: .doctor)
        let id = "6f9619ff-8b86-d011-b42d-00c04fc964ff"
        let book = try IntentRule.authorize(
            BookIntent(appointmentId: id, doctorId: id, start: at(10), reason: Self.nfd), by: patient)
        #expect(bytes(book.reason) == bytes(Self.nfc))
        let cancel = try IntentRule.authorize(CancelIntent(appointmentId: id, reason: Self.nfd), by: patient)
        #expect(bytes(cancel.reason) == bytes(Self.nfc))
        let complete = try IntentRule.authorize(
            CompleteIntent(appointmentId: id, diagnosis: Self.nfd, treatment: Self.nfd), by: doctor)
        #expect(bytes(complete.diagnosis) == bytes(Self.nfc) && bytes(complete.treatment) == bytes(Self.nfc))
    }

    @Test("a reason with U+200B is refused at every intent that carries text")
    func intentsRefuseFormatCharacters() {
        let patient = Actor(userId: "00000000-0000-0000-0000-00000000000b", role: .patient)
        let doctor = Actor(userId: "00000000-0000-0000-0000-00000000000d", role: .doctor)
        let id = "6f9619ff-8b86-d011-b42d-00c04fc964ff"
        let hidden = "fine\u{200B}"
        #expect(outcome {
            _ = try IntentRule.authorize(BookIntent(appointmentId: id, doctorId: id, start: at(10), reason: hidden), by: patient)
        } == "VALIDATION")
        #expect(outcome { _ = try IntentRule.authorize(CancelIntent(appointmentId: id, reason: hidden), by: patient) } == "VALIDATION")
        #expect(outcome {
            _ = try IntentRule.authorize(CompleteIntent(appointmentId: id, diagnosis: hidden, treatment: "rest"), by: doctor)
        } == "VALIDATION")
        #expect(outcome {
            _ = try IntentRule.authorize(CompleteIntent(appointmentId: id, diagnosis: "flu", treatment: hidden), by: doctor)
        } == "VALIDATION")
    }

    @Test("a re-sent booking whose reason is the stored one in NFD is the same booking")
    func resentBookingComparesAfterNFC() {
        let booking = BookIntent(appointmentId: "a", doctorId: "d", start: at(10), reason: Self.nfd, patientId: "p")
        #expect(BookingRule.isSameBooking(
            booking, storedDoctorId: "d", storedPatientId: "p", storedStart: at(10), storedReason: Self.nfc))
        #expect(!BookingRule.isSameBooking(
            booking, storedDoctorId: "d", storedPatientId: "p", storedStart: at(10), storedReason: "Cafe au lait"))
    }
}

@Suite("CONTRACT §9.1: emails are unique after NFC and case folding")
struct EmailKeyTests {
    @Test("an email in another case or in NFD form has the same key",
          arguments: [
              ("\u{C9}mile.Zola@Example.com", "e\u{301}mile.zola@example.com"),
              ("\u{C9}MILE.ZOLA@EXAMPLE.COM", "\u{E9}mile.zola@example.com"),
              ("ANNA@CLINIC.TEST", "anna@clinic.test"),
              ("\u{3A3}\u{3C9}\u{3BA}\u{3C1}\u{3AC}\u{3C4}\u{3B7}\u{3C2}@example.gr", "\u{3C3}\u{3C9}\u{3BA}\u{3C1}\u{3B1}\u{301}\u{3C4}\u{3B7}\u{3C3}@example.gr"),
              ("stra\u{DF}e@example.de", "STRASSE@example.de"),
          ])
    func sameKey(one: String, other: String) {
        #expect(bytes(FieldRule.emailKey(one)) == bytes(FieldRule.emailKey(other)))
    }

    @Test("different addresses keep different keys",
          arguments: [("anna@clinic.test", "anna@clinic.tests"), ("\u{E9}mile@example.com", "emile@example.com")])
    func differentKeys(one: String, other: String) {
        #expect(bytes(FieldRule.emailKey(one)) != bytes(FieldRule.emailKey(other)))
    }

    @Test("the key is NFC")
    func keyIsNFC() {
        let key = FieldRule.emailKey("E\u{301}MILE@example.com")
        #expect(bytes(key) == bytes("\u{E9}mile@example.com"))
    }
}

@Suite("CONTRACT §9.1: push mutation names")
struct MutationNameTests {
    static let args: JSONValue = .object([
        "appointmentId": .string("6f9619ff-8b86-d011-b42d-00c04fc964ff"), "reason": .string("x"),
    ])

    @Test("a name that is not a known intent, or longer than 32 bytes, is VALIDATION and never repeated",
          arguments: ["bookk", "Cancel", String(repeating: "b", count: 33), "cancel" + String(repeating: " ", count: 27),
                      String(repeating: "\u{1F600}", count: 2_000)])
    func unknownName(name: String) {
        do throws(DomainError) {
            _ = try IntentArgs.intent(name: name, args: Self.args)
            Issue.record("accepted")
        } catch {
            #expect(error.code == .validation && error.details["field"] == .string("name"))
            #expect(!error.message.contains(name))
            #expect(error == IntentArgs.unknownName)
        }
    }

    @Test("the known names are read")
    func knownName() throws {
        #expect(try IntentArgs.intent(name: "cancel", args: Self.args).name == "cancel")
    }
}

@Suite("CONTRACT §9.1: the replica records offline under the same text rules")
struct ReplicaRecordingTests {
    static let patient = User(id: "00000000-0000-0000-0000-00000000000b", name: "Pat", email: "pat@example.com", role: .patient)
    static let doctorId = "11111111-2222-3333-4444-555555555555"

    /// A signed-in patient's replica that has pulled one doctor with a window on `day0` 09:00–12:00.
    static func replica(in folder: String) throws -> Replica {
        let replica = try Replica(path: (folder as NSString).appendingPathComponent("replica.sqlite"), key: .random())
        try replica.signIn(
            server: "http://127.0.0.1:1", pair: TokenPair(accessToken: "a", refreshToken: "r", expiresIn: 900, user: patient),
            clinicTimeZone: "UTC")
        let doctor = Doctor(id: doctorId, name: "Dr Quinn", email: nil, specialty: "cardiology", blacklisted: false)
        let window = window((9, 0), (12, 0), slot: 30, id: "w1", doctorId: doctorId)
        try replica.store(
            page: PullResponse(cursor: "c", hasMore: false, lastMutationId: 0, reset: false, changes: [
                Change(entity: "doctor", op: .put, id: nil, row: try JSONValue(encoding: doctor)),
                Change(entity: "availability", op: .put, id: nil, row: try JSONValue(encoding: window)),
            ]),
            now: at(8))
        return replica
    }

    @Test("a reason with U+200B or a cancel reason with a line feed is refused locally, and nothing is recorded")
    func refusals() throws {
        let folder = (NSTemporaryDirectory() as NSString).appendingPathComponent("hms-text-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let replica = try Self.replica(in: folder)
        let id = UUID().uuidString.lowercased()
        #expect(throws: ReplicaError.refused(.validation(field: "reason", "reason must not contain format characters"))) {
            try replica.record(.book(BookIntent(appointmentId: id, doctorId: Self.doctorId, start: at(10), reason: "a\u{200B}b")),
                               now: at(8))
        }
        #expect(throws: ReplicaError.refused(.validation(field: "reason", "reason must not contain control characters"))) {
            try replica.record(.cancel(CancelIntent(appointmentId: id, reason: "moved\naway")), now: at(8))
        }
        #expect(try replica.outbox().isEmpty)
    }

    @Test("a booking recorded offline with an NFD reason shows it in NFC")
    func localViewNFC() throws {
        let folder = (NSTemporaryDirectory() as NSString).appendingPathComponent("hms-text-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let replica = try Self.replica(in: folder)
        let shown = try replica.record(
            .book(BookIntent(appointmentId: UUID().uuidString.lowercased(), doctorId: Self.doctorId, start: at(10),
                             reason: "Cafe\u{301}")),
            now: at(8))
        #expect(bytes(shown.reason) == bytes("Caf\u{E9}"))
        #expect(bytes(try replica.appointments().first?.appointment.reason) == bytes("Caf\u{E9}"))
    }
}
