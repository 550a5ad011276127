import Foundation

/// Where a booking may start: on a slot boundary inside one of the doctor's windows; and which
/// slots a listing shows as free.
public enum SlotRule {
    /// The slot that starts at `start`, or `OUTSIDE_AVAILABILITY`.
    public static func slot(startingAt start: Date, in windows: [AvailabilityWindow]) throws(DomainError) -> TimeRange {
        for window in windows where window.range.contains(start) {
            let offset = start.timeIntervalSince(window.start)
            if offset.truncatingRemainder(dividingBy: window.slotLength) == 0 {
                return TimeRange(start: start, end: start.addingTimeInterval(window.slotLength))
            }
        }
        throw DomainError(.outsideAvailability, "start is not a slot start inside the doctor's availability")
    }

    /// Whether a listed slot is `free`: it has not started, and no active appointment's span
    /// (`busy`) overlaps it. The server's slot list and the replica's use this one rule.
    public static func isFree(_ slot: TimeRange, busy: [TimeRange], now: Date) -> Bool {
        now < slot.start && !busy.contains { $0.overlaps(slot) }
    }
}
