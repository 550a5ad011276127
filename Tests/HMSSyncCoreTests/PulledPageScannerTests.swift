import Foundation
import Testing
@testable import HMSSyncCore

/// Issue 12, first sync: pull pages are read by `JSONScanner`, and a row already in canonical
/// form is kept as it came. Whatever the spelling of a page, what is stored must be what
/// reading it whole with `JSONSerialization` and writing each row canonically gives (the
/// reader before it), so the checksums and the local rules see the same rows.
@Suite("Pull pages read by the scanner: the same rows as JSONSerialization, canonical rows kept as sent")
struct PulledPageScannerTests {
    /// Seeded random rows, spelled in several ways.
    struct Rows {
        var random: SplitMix64
        mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }
        mutating func pick<T>(_ values: [T]) -> T { values[int(0...values.count - 1)] }

        mutating func text() -> String {
            pick(["", "BOOKED", "2027-01-15T10:00:00Z", "a/b", "é", "e\u{301}", "\u{1F600}", "quote \" and \\ back", "tab\tnew\nline",
                  "\u{7F}\u{1}", "Dr Grey", "doctorId", "Zed", "zed", "中文"])
        }

        mutating func value(depth: Int) -> Any {
            switch int(0...(depth > 0 ? 9 : 7)) {
            case 0: return NSNull()
            case 1: return int(0...1) == 1
            case 2: return pick([0, -1, 7, 30, 1_234_567, 9_007_199_254_740_993, Int.min] as [Int])
            case 3: return pick([1.5, -0.0, 1e21, 0.1])
            case 4, 5, 6, 7: return text()
            case 8: return (0..<int(0...3)).map { _ in value(depth: depth - 1) }
            default:
                var object: [String: Any] = [:]
                for _ in 0..<int(0...4) { object[pick(["id", "name", "Name", "b", "a", "é", "a/b", text()])] = value(depth: depth - 1) }
                return object
            }
        }

        mutating func row() -> [String: Any] {
            var row: [String: Any] = ["id": pick(["a1", "w/1", "é1", "x\"y"])]
            for key in ["doctorId", "patientId", "start", "end", "status", "reason", "slotMinutes", "doctor", "Zeta", "alpha"]
            where int(0...2) > 0 {
                row[key] = value(depth: 2)
            }
            return row
        }

        /// `row` written one of five ways: canonical, sorted, unsorted, spaced, pretty.
        mutating func spell(_ row: [String: Any]) throws -> (text: String, canonical: Bool) {
            switch int(0...4) {
            case 0, 1: return (String(decoding: try CanonicalJSON.data(foundation: row), as: UTF8.self), true)
            case 2: return (String(decoding: try JSONSerialization.data(withJSONObject: row, options: [.sortedKeys]), as: UTF8.self), false)
            case 3: return (String(decoding: try JSONSerialization.data(withJSONObject: row), as: UTF8.self), false)
            default:
                let canonical = String(decoding: try CanonicalJSON.data(foundation: row), as: UTF8.self)
                return (canonical.replacingOccurrences(of: "\":", with: "\" : "), false)
            }
        }
    }

    /// The rows as the reader before the scanner stored them: the whole page through
    /// `JSONSerialization`, each row through the canonical writer.
    static func oracle(_ page: Data) throws -> [(entity: String, id: String, json: String?)] {
        let object = try #require(try JSONSerialization.jsonObject(with: page) as? [String: Any])
        let changes = try #require(object["changes"] as? [[String: Any]])
        return try changes.compactMap { change in
            guard let entity = change["entity"] as? String else { return nil }
            if change["op"] as? String == "delete" {
                guard let id = change["id"] as? String else { return nil }
                return (entity, id, nil)
            }
            guard let row = change["row"] as? [String: Any], let id = row["id"] as? String else { return nil }
            return (entity, id, String(decoding: try CanonicalJSON.data(foundation: row), as: UTF8.self))
        }
    }

    @Test("300 seeded pages of rows spelled five ways store exactly the rows JSONSerialization reads")
    func sameRowsAsJSONSerialization() throws {
        var rows = Rows(random: SplitMix64(seed: 0x5CA_4E12))
        var fastPath = 0
        var written = 0
        for _ in 0..<300 {
            var changes: [String] = []
            var expectedCanonical: [Bool] = []
            for _ in 0..<rows.int(1...6) {
                let entity = rows.pick(["appointment", "doctor", "busy"])
                if rows.int(0...5) == 0 {
                    changes.append(#"{"entity":"\#(entity)","op":"delete","id":"gone"}"#)
                    continue
                }
                let row = rows.row()
                let (text, canonical) = try rows.spell(row)
                changes.append(#"{"op":"put","row":\#(text),"entity":"\#(entity)"}"#)
                // the scanner takes as canonical only what holds no escape, fraction, long number
                // or non-ASCII key
                let plain = !text.contains("\\") && !text.contains(".") && !text.contains("e+")
                    && text.range(of: "[0-9]{16,}", options: .regularExpression) == nil && !Self.hasNonASCIIKey(row)
                expectedCanonical.append(canonical && plain)
            }
            let page = Data(#"{"changes":[\#(changes.joined(separator: ","))], "cursor":"c9","hasMore":true,"lastMutationId":4,"reset":false}"#.utf8)
            let read = try PulledPage(json: page)
            let expected = try Self.oracle(page)
            #expect(read.rows.map(\.entity) == expected.map(\.entity))
            #expect(read.rows.map(\.id) == expected.map(\.id))
            #expect(read.rows.map(\.json) == expected.map(\.json))
            #expect(read.cursor == "c9" && read.hasMore && read.lastMutationId == 4 && !read.reset)

            // rows written by the canonical writer are kept as sent, not read and written again
            var scanner = JSONScanner(Array(page), depthLimit: PulledPage.nestingLimit)
            var seen = 0
            while let at = Self.nextRow(after: &scanner) {
                let row = try ScannedRow(&scanner)
                if expectedCanonical[seen] { #expect(row.isCanonical, "\(String(decoding: page[at...].prefix(120), as: UTF8.self))") }
                if row.isCanonical { fastPath += 1 }
                seen += 1
                written += 1
            }
        }
        // the seed gives both kinds
        #expect(fastPath > 0 && fastPath < written, "\(fastPath) of \(written)")
    }

    static func hasNonASCIIKey(_ value: Any) -> Bool {
        if let object = value as? [String: Any] {
            return object.contains { key, member in key.utf8.contains { $0 >= 0x80 } || hasNonASCIIKey(member) }
        }
        if let array = value as? [Any] { return array.contains(where: hasNonASCIIKey) }
        return false
    }

    /// Moves the scanner to the next `"row":` value; nil when there is none.
    static func nextRow(after scanner: inout JSONScanner) -> Int? {
        let marker = Array(#""row":"#.utf8)
        var at = scanner.index
        while at + marker.count <= scanner.bytes.count {
            if Array(scanner.bytes[at..<(at + marker.count)]) == marker {
                scanner = JSONScanner(scanner.bytes, depthLimit: scanner.depthLimit, at: at + marker.count)
                return at
            }
            at += 1
        }
        return nil
    }

    @Test("integers as the canonical writer writes them, and nothing else, count as canonical")
    func plainIntegers() {
        for digits in ["0", "7", "-1", "30", "123456789012345", "-123456789012345"] {
            #expect(ScannedRow.isPlainInteger(ArraySlice(digits.utf8)), "\(digits)")
        }
        for digits in ["-0", "01", "1.0", "1e2", "+1", "1234567890123456", "-", ""] {
            #expect(!ScannedRow.isPlainInteger(ArraySlice(digits.utf8)), "\(digits)")
        }
    }

    @Test("a page that is not JSON, or whose row bytes are not UTF-8, is refused as INTERNAL")
    func refusals() {
        let pages = [
            #"{"cursor":"c","changes":[{"entity":"doctor","op":"put","row":{"id":"d1"}}]"#,
            #"{"cursor":"c","changes":[{"entity":"doctor","op":"put","row":{"id":"d1",}}]}"#,
            #"{"changes":[]}"#,
            #"{"cursor":"c","changes":[1]}"#,
            #"{"cursor":"c","changes":[]} x"#,
            #"{"cursor":"c","changes":[],"other":1-2}"#,
            #"{"cursor":"c","changes":[],"other":-}"#,
        ].map { Data($0.utf8) } + [
            Data(#"{"cursor":"c","changes":[{"entity":"doctor","op":"put","row":{"id":"d"#.utf8) + Data([0xFF])
                + Data(#""}}]}"#.utf8)
        ]
        for page in pages {
            #expect(throws: DomainError.self, "\(String(decoding: page, as: UTF8.self))") { try PulledPage(json: page) }
        }
    }
}

extension PulledPageScannerTests {
    @Test("keys that Swift takes as equal (é precomposed and decomposed) are read the long way, as JSONSerialization merges them")
    func equivalentKeys() throws {
        let page = Data(#"{"cursor":"c","changes":[{"entity":"doctor","op":"put","row":{"e\#u{301}":1,"id":"d1","é":2}}]}"#.utf8)
        let read = try PulledPage(json: page)
        #expect(read.rows.map(\.json) == (try Self.oracle(page)).map(\.json))
    }
}
