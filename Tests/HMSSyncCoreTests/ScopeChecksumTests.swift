import Foundation
import Testing

@testable import HMSSyncCore

/// CONTRACT.md §9.6: the row bytes and hashes both sides sum, as docs/sync.md ("Pull checksums and
/// divergence repair") defines them for other clients. The expected values were computed with
/// Python's `hashlib` from the documented rules, not with this code.
@Suite struct ScopeChecksumTests {
    static let row: JSONValue = [
        "id": "d1", "name": "Dr \u{c4} \"Q\"\n\u{1}", "blacklisted": .bool(false), "specialty": "ent/ear", "email": .null,
        "slotMinutes": .number(30), "ref": ["b": .number(1), "a": [.bool(true), "\\"]],
    ]

    @Test func canonicalBytesSortKeysEscapeOnlyWhatMustBeAndWriteIntegersPlainly() {
        let text = String(decoding: CanonicalJSON.data(Self.row), as: UTF8.self)
        #expect(text == #"{"blacklisted":false,"email":null,"id":"d1","name":"Dr Ä \"Q\"\u000a\u0001","ref":{"a":[true,"\\"],"b":1},"slotMinutes":30,"specialty":"ent/ear"}"#)
    }

    @Test func theRowHashIsTheDocumentedVector() {
        #expect(String(ScopeChecksum.rowHash(entity: "doctor", id: "d1", row: Self.row), radix: 16) == "8518ab8151129279")
    }

    @Test func theSameRowReadFromAnyEncodingHashesTheSame() throws {
        // another encoder's spelling of the same row: spaces, escaped slash, \u escapes, keys in another order
        let spelled = #"{ "slotMinutes": 30.0, "specialty": "ent\/ear", "ref": {"a": [true, "\\"], "b": 1}, "name": "Dr \u00c4 \"Q\"\n\u0001", "id": "d1", "email": null, "blacklisted": false }"#
        let row = try JSONDecoder().decode(JSONValue.self, from: Data(spelled.utf8))
        #expect(ScopeChecksum.rowHash(entity: "doctor", id: "d1", row: row) == 0x8518_ab81_5112_9279)
    }

    @Test func sumsAreOrderFreeAndTakingARowOutUndoesIt() throws {
        var forward = ScopeChecksum()
        var backward = ScopeChecksum()
        let hashes: [UInt64] = [0x1, 0xdead_beef, 0x8518_ab81_5112_9279]
        for hash in hashes { forward.toggle(entity: "appointment", hash: hash) }
        for hash in hashes.reversed() { backward.toggle(entity: "appointment", hash: hash) }
        #expect(forward == backward)
        backward.toggle(entity: "appointment", hash: 0xdead_beef)
        #expect(forward.entities(differingFrom: backward) == ["appointment"])
        #expect(forward.hex.count == 96)
        #expect(String(forward.hex.prefix(48)) == "0000000000000000" + "0000000000000000" + "8518ab818fbf2c97")
        #expect(ScopeChecksum(hex: forward.hex) == forward)
        #expect(ScopeChecksum(hex: forward.hex.uppercased()) == nil)
        #expect(ScopeChecksum(hex: "00") == nil)
    }

    @Test func aReplicaStoresRowsAsCanonicalBytesAndItsChecksumIsTheRowsOne() throws {
        let folder = (NSTemporaryDirectory() as NSString).appendingPathComponent("hms-checksum-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let replica = try Replica(path: (folder as NSString).appendingPathComponent("replica.sqlite"), key: .random())
        let user = User(id: "p1", name: "Pat", email: "pat@example.com", role: .patient)
        try replica.signIn(
            server: "http://127.0.0.1:1", pair: TokenPair(accessToken: "a", refreshToken: "r", expiresIn: 900, user: user),
            clinicTimeZone: "UTC")
        // keys whose byte order differs from a case-insensitive one, escapes, non-ASCII, numbers
        let rows: [(String, String)] = [
            ("doctor", #"{"id":"d1","name":"Dr \u00c4 \"Q\"","blacklisted":false,"specialty":"ent\/ear","Zeta":1,"a_":2,"aZ":3}"#),
            ("availability", #"{"id":"w1","doctorId":"d1","start":"2027-01-04T09:00:00Z","end":"2027-01-04T12:00:00Z","slotMinutes":30.0}"#),
            ("patient", #"{"id":"p1","name":"Pat\t\u0001","email":"pat@example.com","role":"patient","ok":true,"gone":null}"#),
        ]
        var expected = ScopeChecksum()
        for (entity, row) in rows {
            let value = try JSONDecoder().decode(JSONValue.self, from: Data(row.utf8))
            expected.toggle(entity: entity, hash: ScopeChecksum.rowHash(entity: entity, id: value["id"]!.stringValue!, row: value))
        }
        let changes = rows.map { #"{"entity":"\#($0.0)","op":"put","row":\#($0.1)}"# }.joined(separator: ",")
        let page = #"{"cursor":"c1","hasMore":false,"lastMutationId":0,"reset":false,"changes":[\#(changes)],"checksum":"\#(expected.hex)"}"#
        let stored = try replica.store(pageJSON: Data(page.utf8), now: Date())
        #expect(stored.differing.isEmpty)
        #expect(try replica.checksum() == expected)
        // the same page decoded first (the other way rows come in) stores the same bytes
        let again = try RFC3339.makeDecoder().decode(PullResponse.self, from: Data(page.utf8))
        try replica.store(page: again, now: Date())
        #expect(try replica.checksum() == expected)

        // a later page that changes a held row and deletes another: the kept sum takes the old
        // rows' hashes out
        let changed = #"{"id":"w1","doctorId":"d1","start":"2027-01-04T09:00:00Z","end":"2027-01-04T13:00:00Z","slotMinutes":30}"#
        var later = ScopeChecksum()
        for (entity, row) in [rows[0], ("availability", changed)] {
            let value = try JSONDecoder().decode(JSONValue.self, from: Data(row.utf8))
            later.toggle(entity: entity, hash: ScopeChecksum.rowHash(entity: entity, id: value["id"]!.stringValue!, row: value))
        }
        let next = #"{"cursor":"c2","hasMore":false,"lastMutationId":0,"reset":false,"changes":[{"entity":"availability","op":"put","row":\#(changed)},{"entity":"patient","op":"delete","id":"p1"}],"checksum":"\#(later.hex)"}"#
        let storedLater = try replica.store(pageJSON: Data(next.utf8), now: Date())
        #expect(storedLater.differing.isEmpty)
        #expect(try replica.checksum() == later)
    }
}
