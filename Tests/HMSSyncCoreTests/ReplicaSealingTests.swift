import Foundation
import GRDB
import HMSSyncCore
import Testing

/// Encryption at rest through the library's own surface: what a replica writes is sealed on
/// disk and shown in clear by its API; a seal opens only in its place and with its key.
@Suite("replica sealing")
final class ReplicaSealingTests {
    static let name = "Philippa Quartermaine"
    static let email = "philippa.q@clinic.test"
    static let reason = "persistent migraine with aura"
    static let diagnosis = "vestibular migraine, suspected"
    static let treatment = "triptan trial, sleep diary"
    static let accessToken = "access-token-6f2b0c4e9d1a"
    static let refreshToken = "refresh-token-8a7e3d5c1b90"
    static let newReason = "follow-up on the sleep diary"
    static let secrets = [name, email, reason, diagnosis, treatment, accessToken, refreshToken, newReason]

    let folder: String
    var path: String { (folder as NSString).appendingPathComponent("replica.sqlite") }

    init() throws {
        folder = (NSTemporaryDirectory() as NSString).appendingPathComponent("hms-sealing-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    static let patientId = "11111111-1111-4111-8111-111111111111"
    static let doctorId = "22222222-2222-4222-8222-222222222222"
    static let pastId = "33333333-3333-4333-8333-333333333333"
    static let otherId = "44444444-4444-4444-8444-444444444444"
    static let tomorrowNine = day0.addingTimeInterval(86_400 + 9 * 3_600)

    /// Signs a patient in, stores a page with a completed appointment, and books offline.
    static func fill(_ replica: Replica) throws {
        let user = User(id: patientId, name: name, email: email, role: .patient)
        try replica.signIn(
            server: "http://127.0.0.1:1",
            pair: TokenPair(accessToken: accessToken, refreshToken: refreshToken, expiresIn: 900, user: user),
            clinicTimeZone: "UTC")
        func appointment(_ id: String, _ start: Date) -> String {
            """
            {"entity": "appointment", "op": "put", "row": {"id": "\(id)", "patientId": "\(patientId)", "doctorId": "\(doctorId)",
             "start": "\(RFC3339.format(start))", "end": "\(RFC3339.format(start.addingTimeInterval(1800)))", "status": "COMPLETED",
             "reason": "\(reason)", "diagnosis": "\(diagnosis)", "treatment": "\(treatment)", "cancelReason": null,
             "createdAt": "\(RFC3339.format(day0))", "updatedAt": "\(RFC3339.format(day0))",
             "doctor": {"id": "\(doctorId)", "name": "Dr Okafor", "specialty": "Neurology"},
             "patient": {"id": "\(patientId)", "name": "\(name)"}}}
            """
        }
        let page = """
            {"cursor": "c1", "hasMore": false, "lastMutationId": 0, "reset": false, "changes": [
             {"entity": "doctor", "op": "put", "row": {"id": "\(doctorId)", "name": "Dr Okafor", "specialty": "Neurology", "blacklisted": false}},
             {"entity": "availability", "op": "put", "row": {"id": "55555555-5555-4555-8555-555555555555", "doctorId": "\(doctorId)",
              "start": "\(RFC3339.format(tomorrowNine))", "end": "\(RFC3339.format(tomorrowNine.addingTimeInterval(7200)))", "slotMinutes": 30}},
             \(appointment(pastId, day0.addingTimeInterval(9 * 3600))),
             \(appointment(otherId, day0.addingTimeInterval(11 * 3600)))]}
            """
        try replica.store(page: try RFC3339.makeDecoder().decode(PullResponse.self, from: Data(page.utf8)), now: day0)
        _ = try replica.record(
            .book(BookIntent(appointmentId: UUID().uuidString.lowercased(), doctorId: doctorId, start: tomorrowNine,
                             reason: newReason, patientId: nil)),
            now: day0.addingTimeInterval(12 * 3600))
    }

    /// Which secrets appear in the replica's files.
    func plaintext() -> [String] {
        ["", "-wal", "-journal"].flatMap { suffix in
            let data = FileManager.default.contents(atPath: path + suffix) ?? Data()
            return Self.secrets.filter { data.range(of: Data($0.utf8)) != nil }.map { "\(suffix): \($0)" }
        }
    }

    @Test("names, emails, reasons, notes, intents and tokens are sealed on disk and clear through the API")
    func sealedOnDiskClearInTheAPI() throws {
        let key = ReplicaKey.random()
        do {
            let replica = try Replica(path: path, key: key)
            try Self.fill(replica)
            #expect(plaintext().isEmpty, "in clear on disk: \(plaintext())")
        }
        #expect(plaintext().isEmpty, "in clear on disk after close: \(plaintext())")

        let replica = try Replica(path: path, key: key)
        let session = try #require(try replica.session())
        #expect(session.user.name == Self.name && session.user.email == Self.email)
        #expect(session.accessToken == Self.accessToken && session.refreshToken == Self.refreshToken)
        let past = try #require(try replica.appointments().first { $0.appointment.id == Self.pastId }?.appointment)
        #expect(past.reason == Self.reason && past.diagnosis == Self.diagnosis && past.treatment == Self.treatment)
        #expect(past.patient.name == Self.name)
        #expect(try replica.outbox().first?.args["reason"]?.stringValue == Self.newReason)
        #expect(try replica.doctors().map(\.name) == ["Dr Okafor"])
    }

    @Test("another key does not open the replica, and leaves it as it was")
    func wrongKey() throws {
        let key = ReplicaKey.random()
        try Self.fill(try Replica(path: path, key: key))
        #expect(throws: ReplicaKeyError.wrongKey) { try Replica(path: path, key: ReplicaKey.random()) }
        #expect(try Replica(path: path, key: key).session()?.user.email == Self.email)
    }

    @Test("the key source is told the replica's id, and whether a key already seals it")
    func keyRequest() throws {
        let key = ReplicaKey.random()
        var requests: [ReplicaKeyRequest] = []
        _ = try Replica(path: path) { requests.append($0); return key }
        _ = try Replica(path: path) { requests.append($0); return key }
        #expect(requests.map(\.isSealed) == [false, true])
        #expect(requests[0].replicaId == requests[1].replicaId)
        #expect(UUID(uuidString: requests[0].replicaId)?.uuidString.lowercased() == requests[0].replicaId)
    }

    @Test("a sealed value copied to another row does not open there")
    func sealBoundToItsRow() throws {
        let key = ReplicaKey.random()
        try Self.fill(try Replica(path: path, key: key))
        try DatabaseQueue(path: path).write { db in
            try db.execute(
                sql: """
                    UPDATE server_rows SET json = (SELECT json FROM server_rows WHERE id = ?)
                    WHERE entity = 'appointment' AND id = ?
                    """,
                arguments: [Self.pastId, Self.otherId])
        }
        let replica = try Replica(path: path, key: key)
        #expect(throws: ReplicaKeyError.damaged) { try replica.appointments() }
        #expect(try replica.session()?.user.name == Self.name, "the rest still opens")
    }

    @Test("a sealed token copied to another state key does not open there")
    func sealBoundToItsKey() throws {
        let key = ReplicaKey.random()
        try Self.fill(try Replica(path: path, key: key))
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: """
                UPDATE state SET value = (SELECT value FROM state WHERE key = 'refreshToken') WHERE key = 'accessToken'
                """)
        }
        #expect(throws: ReplicaKeyError.damaged) { try Replica(path: path, key: key).session() }
    }
}
