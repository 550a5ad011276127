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
}
