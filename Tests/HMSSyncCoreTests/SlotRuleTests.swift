import Foundation
import HMSSyncCore
import Testing

@Suite("SlotRule: a booking starts on a slot boundary inside a window")
struct SlotRuleTests {
    /// 09:00–11:00 in 30-minute slots and 14:00–15:00 in 20-minute slots.
    static let windows = [window((9, 0), (11, 0), slot: 30), window((14, 0), (15, 0), slot: 20)]

    static let cases: [((Int, Int), (Int, Int)?)] = [
        ((9, 0), (9, 30)),
        ((9, 30), (10, 0)),
        ((10, 30), (11, 0)),
        ((14, 0), (14, 20)),
        ((14, 40), (15, 0)),
        ((8, 30), nil),
        ((9, 15), nil),
        ((9, 1), nil),
        ((11, 0), nil),
        ((12, 0), nil),
        ((14, 30), nil),
        ((15, 0), nil),
    ]

    @Test("the slot starting at a time, or OUTSIDE_AVAILABILITY", arguments: cases)
    func slot(start: (Int, Int), end: (Int, Int)?) {
        let result: String
        do throws(DomainError) {
            let slot = try SlotRule.slot(startingAt: at(start.0, start.1), in: Self.windows)
            result = "\(slot.start == at(start.0, start.1)) \(slot.end.timeIntervalSince(day0))"
        } catch {
            result = error.code.rawValue
        }
        let expected = end.map { "true \(at($0.0, $0.1).timeIntervalSince(day0))" } ?? "OUTSIDE_AVAILABILITY"
        #expect(result == expected)
    }

    @Test("no windows: every start is OUTSIDE_AVAILABILITY")
    func noWindows() {
        #expect(outcome { _ = try SlotRule.slot(startingAt: at(9), in: []) } == "OUTSIDE_AVAILABILITY")
    }

    @Test("a window lists its slots in order")
    func windowSlots() {
        let slots = window((9, 0), (10, 0), slot: 20).slots
        #expect(slots == [span((9, 0), (9, 20)), span((9, 20), (9, 40)), span((9, 40), (10, 0))])
    }

    /// (now, busy spans) → whether the 09:00–09:30 slot is listed free.
    static let freeCases: [((Int, Int), [((Int, Int), (Int, Int))], Bool)] = [
        ((8, 59), [], true),
        ((9, 0), [], false),
        ((9, 10), [], false),
        ((10, 0), [], false),
        ((8, 0), [((9, 15), (9, 45))], false),
        ((8, 0), [((8, 30), (9, 0)), ((9, 30), (10, 0))], true),
    ]

    @Test("a listed slot is free only before its start and when no busy span overlaps it", arguments: freeCases)
    func free(now: (Int, Int), busy: [((Int, Int), (Int, Int))], free: Bool) {
        let busySpans = busy.map { span($0.0, $0.1) }
        #expect(SlotRule.isFree(span((9, 0), (9, 30)), busy: busySpans, now: at(now.0, now.1)) == free)
    }
}
