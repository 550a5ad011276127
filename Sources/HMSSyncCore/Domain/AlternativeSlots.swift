import Foundation

/// What a `SLOT_TAKEN` refusal offers instead (CONTRACT.md §9.2): up to three of the doctor's
/// free slots from the requested start to 14 days after it, earliest first, each one the patient
/// could book now. The server (REST and push) and the replica (a local refusal) gather the facts
/// from their own rows and call this one rule.
public enum AlternativeSlots {
    public static let maxCount = 3
    /// How far after the requested start an alternative may begin.
    public static let horizon: TimeInterval = 14 * 24 * 60 * 60
    /// The key of the list in an error's `details`.
    public static let detailKey = "alternatives"

    /// The span whose windows and active appointments the offer depends on: slots start inside
    /// `[start, start + horizon)` and may end up to the longest slot later.
    public static func factsRange(from start: Date) -> TimeRange {
        TimeRange(start: start, end: start.addingTimeInterval(horizon + AvailabilityRule.longestSlot))
    }

    /// The offered slots.
    /// - Parameters:
    ///   - windows: the doctor's windows overlapping `factsRange(from: start)`.
    ///   - doctorBusy, patientBusy: spans of the doctor's and the patient's active appointments there.
    ///   - replacing: a rescheduled appointment's current slot. It is never offered, and it holds
    ///     neither the doctor nor the patient (the move frees it).
    public static func find(
        from start: Date, windows: [AvailabilityWindow], doctorBusy: [TimeRange], patientBusy: [TimeRange], now: Date,
        replacing: TimeRange? = nil
    ) -> [TimeRange] {
        let doctorBusy = removingOne(replacing, from: doctorBusy)
        let patientBusy = removingOne(replacing, from: patientBusy)
        let latestStart = start.addingTimeInterval(horizon)
        var offered: [TimeRange] = []
        for window in windows.sorted(by: { $0.start < $1.start }) {
            for slot in window.slots where slot.start >= start && slot.start < latestStart && slot != replacing {
                guard SlotRule.isFree(slot, busy: doctorBusy, now: now),
                    !patientBusy.contains(where: { $0.overlaps(slot) })
                else { continue }
                offered.append(slot)
                // windows never overlap, so sorted windows give slots in start order
                if offered.count == maxCount { return offered }
            }
        }
        return offered
    }

    /// The spans without one occurrence of `span`: the rescheduled appointment's own.
    private static func removingOne(_ span: TimeRange?, from spans: [TimeRange]) -> [TimeRange] {
        guard let span, let index = spans.firstIndex(of: span) else { return spans }
        var rest = spans
        rest.remove(at: index)
        return rest
    }
}
