import Foundation
import HMSSyncCore
import Testing

@Suite("CONTRACT §9.2: the alternatives a SLOT_TAKEN offers")
struct AlternativeSlotsTests {
    /// 09:00–12:00 in 30-minute slots.
    static let morning = [window((9, 0), (12, 0), slot: 30)]
    static let early = at(7)

    static func starts(_ slots: [TimeRange]) -> [Date] { slots.map(\.start) }

    @Test("up to three of the doctor's free slots from the requested start, earliest first")
    func nextFreeSlots() {
        let offered = AlternativeSlots.find(
            from: at(9, 30), windows: Self.morning, doctorBusy: [span((9, 30), (10, 0)), span((10, 30), (11, 0))],
            patientBusy: [], now: Self.early)
        #expect(Self.starts(offered) == [at(10), at(11), at(11, 30)])
        #expect(offered.allSatisfy { $0.end == $0.start.addingTimeInterval(1800) })
    }

    @Test("slots before the requested start are never offered, even when free")
    func notBefore() {
        let offered = AlternativeSlots.find(
            from: at(11), windows: Self.morning, doctorBusy: [span((11, 0), (11, 30))], patientBusy: [], now: Self.early)
        #expect(Self.starts(offered) == [at(11, 30)])
    }

    @Test("slots that overlap the patient's own active appointments, or have started, are left out")
    func patientCouldBookNow() {
        let offered = AlternativeSlots.find(
            from: at(9), windows: Self.morning, doctorBusy: [span((9, 0), (9, 30))],
            patientBusy: [span((10, 15), (10, 45))], now: at(9, 40))
        // 09:30 has started at 09:40; 10:00 and 10:30 overlap the patient's 10:15–10:45
        #expect(Self.starts(offered) == [at(11), at(11, 30)])
    }

    @Test("the search reaches 14 days after the requested start, and no further")
    func fourteenDays() {
        let day = 24.0 * 3600
        let later = [13.0, 14.0].map { days in
            AvailabilityWindow(
                id: "w\(days)", doctorId: "d", start: at(9).addingTimeInterval(days * day),
                end: at(9, 30).addingTimeInterval(days * day), slotMinutes: 30)
        }
        let offered = AlternativeSlots.find(
            from: at(9), windows: later, doctorBusy: [], patientBusy: [], now: Self.early)
        #expect(Self.starts(offered) == [at(9).addingTimeInterval(13 * day)])
    }

    @Test("an empty list when nothing is free")
    func none() {
        let busy = stride(from: 9.0, to: 12.0, by: 0.5).map { hour in
            TimeRange(start: day0.addingTimeInterval(hour * 3600), end: day0.addingTimeInterval((hour + 0.5) * 3600))
        }
        #expect(AlternativeSlots.find(from: at(9), windows: Self.morning, doctorBusy: busy, patientBusy: [], now: Self.early).isEmpty)
    }

    @Test("a reschedule: the current slot is never offered, and it holds neither the doctor nor the patient")
    func replacing() {
        let current = span((10, 0), (10, 30))
        let offered = AlternativeSlots.find(
            from: at(9, 30), windows: Self.morning, doctorBusy: [span((9, 30), (10, 0)), current],
            patientBusy: [current, span((11, 30), (12, 0))], now: Self.early, replacing: current)
        #expect(Self.starts(offered) == [at(10, 30), at(11)])
    }

    @Test("windows in any order give slots in start order")
    func windowOrder() {
        let windows = [window((14, 0), (15, 0), slot: 20, id: "b"), window((9, 0), (9, 30), slot: 30, id: "a")]
        let offered = AlternativeSlots.find(from: at(8), windows: windows, doctorBusy: [], patientBusy: [], now: Self.early)
        #expect(Self.starts(offered) == [at(9), at(14), at(14, 20)])
    }

    @Test("the refusal carries them in details.alternatives, and they survive the wire")
    func onTheWire() throws {
        let refusal = OverlapRule.slotTaken.offering([span((10, 0), (10, 30))])
        let body = try RFC3339.makeEncoder().encode(ErrorBody(refusal))
        let text = String(decoding: body, as: UTF8.self)
        #expect(text.contains(#""alternatives":[{"end":"#))
        let decoded = try RFC3339.makeDecoder().decode(ErrorBody.self, from: body)
        #expect(decoded.details?["alternatives"]?.slots == [AlternativeSlot(start: at(10), end: at(10, 30))])
        let empty = try RFC3339.makeDecoder().decode(
            ErrorBody.self, from: try RFC3339.makeEncoder().encode(ErrorBody(OverlapRule.slotTaken.offering([]))))
        #expect(empty.details?["alternatives"]?.slots == [])
    }
}
