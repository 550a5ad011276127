import Foundation

/// Where a booking may start: on a slot boundary inside one of the doctor's windows.
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
}
