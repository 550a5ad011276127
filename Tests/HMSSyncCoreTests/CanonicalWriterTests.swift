import Foundation
import Testing
@testable import HMSSyncCore

/// Issue 12: the server writes the rows it hashes and the pull pages it sends with
/// `CanonicalWriter` instead of `JSONEncoder`. For every row type, whatever its text and times,
/// the bytes must be the canonical bytes of what the contract's encoder writes.
@Suite("Rows written by hand are the canonical bytes of what the encoder writes")
struct CanonicalWriterTests {
    struct Values {
        var random = SplitMix64(seed: 0xCA_404)
        mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }
        mutating func pick<T>(_ values: [T]) -> T { values[int(0...values.count - 1)] }

        mutating func text() -> String {
            pick(["", "BOOKED", "Dr Grey", "a/b", "é", "e\u{301}", "\u{1F600}", "quote \" and \\ back", "tab\tnew\nline",
                  "\u{7F}\u{1}", "中文", "rescheduled", String(repeating: "x", count: 300)])
        }

        mutating func note() -> String? { int(0...2) == 0 ? nil : text() }

        /// Any time from 1970 to 2200, sometimes with a fraction of a second.
        mutating func date() -> Date {
            let seconds = Double(int(0...7_258_118_400))
            return Date(timeIntervalSince1970: int(0...3) == 0 ? seconds + Double(int(1...999)) / 1000 : seconds)
        }

        mutating func appointment() -> Appointment {
            Appointment(
                id: text(), patientId: text(), doctorId: text(), start: date(), end: date(),
                status: pick(AppointmentStatus.allCases), reason: note(), diagnosis: note(), treatment: note(),
                cancelReason: note(), createdAt: date(), updatedAt: date(),
                doctor: .init(id: text(), name: text(), specialty: text()), patient: .init(id: text(), name: text()))
        }
    }

    static func expectCanonical(_ row: some CanonicalRow) throws {
        #expect(row.canonicalBytes == Array(try CanonicalJSON.data(encoding: row)))
    }

    @Test func everyRowTypeMatchesTheEncoder() throws {
        var values = Values()
        for _ in 0..<400 {
            try Self.expectCanonical(values.appointment())
            try Self.expectCanonical(BusyRow(id: values.text(), doctorId: values.text(), start: values.date(), end: values.date()))
            try Self.expectCanonical(AvailabilityWindow(
                id: values.text(), doctorId: values.text(), start: values.date(), end: values.date(), slotMinutes: values.int(5...240)))
            try Self.expectCanonical(User(id: values.text(), name: values.text(), email: values.text(), role: values.pick(Role.allCases)))
            try Self.expectCanonical(Doctor(
                id: values.text(), name: values.text(), email: values.note(), specialty: values.text(),
                blacklisted: values.int(0...1) == 1))
        }
    }

    @Test func timesAreWrittenAsTheFormatterWritesThem() {
        var values = Values()
        var dates = (0..<5_000).map { _ in values.date() }
        // leap days, the turn of centuries, the ends of the fast path's range and past them
        dates += ["2000-02-29T23:59:59Z", "2100-03-01T00:00:00Z", "1970-01-01T00:00:00Z", "2024-12-31T23:59:59Z",
                  "9999-12-31T23:59:59Z"].map { RFC3339.parse($0)! }
        dates += [-1, -86_401.5, 253_402_300_800, 1e12].map { Date(timeIntervalSince1970: $0) }
        for date in dates {
            var bytes: [UInt8] = []
            RFC3339.write(date, into: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == RFC3339.format(date))
        }
    }

    @Test func nestingAndSeparatorsMakeOneJSONValue() throws {
        var writer = CanonicalWriter()
        writer.openObject()
        writer.key("a"); writer.openArray()
        writer.int(-3); writer.null(); writer.bool(true)
        writer.openObject(); writer.closeObject()
        writer.openObject(); writer.key("x"); writer.int(1); writer.closeObject()
        writer.closeArray()
        writer.key("b"); writer.string(nil)
        writer.closeObject()
        #expect(String(decoding: writer.bytes, as: UTF8.self) == #"{"a":[-3,null,true,{},{"x":1}],"b":null}"#)
    }
}
