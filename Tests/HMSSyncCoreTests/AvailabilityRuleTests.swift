import Foundation
import HMSSyncCore
import Testing

@Suite("AvailabilityRule: the shape of a window, overlap, removal")
struct AvailabilityRuleTests {
    /// (slotMinutes, length in minutes, expected code or "ok", the field named)
    static let shapes: [(Int, Int, String, String?)] = [
        (4, 60, "VALIDATION", "slotMinutes"),
        (5, 60, "ok", nil),
        (240, 240, "ok", nil),
        (241, 241, "VALIDATION", "slotMinutes"),
        (0, 60, "VALIDATION", "slotMinutes"),
        (-30, 60, "VALIDATION", "slotMinutes"),
        (30, 0, "VALIDATION", "end"),
        (30, -30, "VALIDATION", "end"),
        (60, 24 * 60, "ok", nil),
        (5, 24 * 60, "ok", nil),
        (60, 24 * 60 + 60, "VALIDATION", "end"),
        (5, 24 * 60 + 5, "VALIDATION", "end"),
        (30, 65, "VALIDATION", "end"),
        (45, 90, "ok", nil),
        (45, 60, "VALIDATION", "end"),
    ]

    @Test("slotMinutes 5...240, end after start, at most 24 h, whole slots", arguments: shapes)
    func validate(slotMinutes: Int, lengthMinutes: Int, expected: String, field: String?) {
        let start = at(8)
        do throws(DomainError) {
            try AvailabilityRule.validate(
                start: start, end: start.addingTimeInterval(TimeInterval(lengthMinutes * 60)), slotMinutes: slotMinutes)
            #expect(expected == "ok")
        } catch {
            #expect(error.code.rawValue == expected)
            #expect(error.details["field"] == field.map(ErrorDetail.string))
        }
    }

    static let existing = [window((9, 0), (11, 0), slot: 30, id: "a"), window((13, 0), (14, 0), slot: 60, id: "b")]

    @Test("windows that only touch do not overlap",
          arguments: [
              (span((8, 0), (9, 0)), "ok"),
              (span((11, 0), (13, 0)), "ok"),
              (span((14, 0), (15, 0)), "ok"),
              (span((8, 0), (9, 30)), "OVERLAPPING_AVAILABILITY"),
              (span((10, 0), (12, 0)), "OVERLAPPING_AVAILABILITY"),
              (span((9, 30), (10, 0)), "OVERLAPPING_AVAILABILITY"),
              (span((7, 0), (15, 0)), "OVERLAPPING_AVAILABILITY"),
              (span((12, 0), (13, 30)), "OVERLAPPING_AVAILABILITY"),
          ])
    func overlap(range: TimeRange, expected: String) {
        #expect(outcome { try AvailabilityRule.checkNoOverlap(range, with: Self.existing) } == expected)
    }

    @Test("HAS_BOOKINGS when a booked appointment starts inside the window",
          arguments: [
              ([Date](), "ok"),
              ([at(8, 30)], "ok"),
              ([at(11, 0)], "ok"),
              ([at(9, 0)], "HAS_BOOKINGS"),
              ([at(10, 30)], "HAS_BOOKINGS"),
              ([at(8, 0), at(10, 0)], "HAS_BOOKINGS"),
          ])
    func removable(bookedStarts: [Date], expected: String) {
        let window = window((9, 0), (11, 0), slot: 30)
        #expect(outcome { try AvailabilityRule.checkRemovable(window, bookedStarts: bookedStarts) } == expected)
    }
}
