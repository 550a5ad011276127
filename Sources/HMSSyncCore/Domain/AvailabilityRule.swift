import Foundation

/// The rules an availability window must keep (CONTRACT.md §3).
public enum AvailabilityRule {
    public static let slotMinutesRange = 5...240
    public static let longestWindow: TimeInterval = 24 * 3600
    /// No appointment lasts longer than this, so nothing that overlaps a span starts earlier
    /// than this before it: range queries use it as their lower bound.
    public static let longestSlot: TimeInterval = TimeInterval(slotMinutesRange.upperBound * 60)

    /// Checks the window's own shape: slot length, order, at most 24 hours, whole slots.
    public static func validate(start: Date, end: Date, slotMinutes: Int) throws(DomainError) {
        guard slotMinutesRange.contains(slotMinutes) else {
            throw .validation(field: "slotMinutes", "slotMinutes must be between 5 and 240")
        }
        guard end > start else {
            throw .validation(field: "end", "end must be after start")
        }
        let length = end.timeIntervalSince(start)
        guard length <= longestWindow else {
            throw .validation(field: "end", "a window lasts at most 24 hours")
        }
        guard Int(length) % (slotMinutes * 60) == 0 else {
            throw .validation(field: "end", "the window's length must be a whole number of slots")
        }
    }

    /// `OVERLAPPING_AVAILABILITY` when the new span overlaps one of the doctor's other windows.
    public static func checkNoOverlap(_ range: TimeRange, with others: [AvailabilityWindow]) throws(DomainError) {
        if others.contains(where: { $0.range.overlaps(range) }) {
            throw DomainError(.overlappingAvailability, "the window overlaps another of the doctor's windows")
        }
    }

    /// `HAS_BOOKINGS` when a booked appointment starts inside the window.
    public static func checkRemovable(_ window: AvailabilityWindow, bookedStarts: [Date]) throws(DomainError) {
        if bookedStarts.contains(where: { window.range.contains($0) }) {
            throw DomainError(.hasBookings, "the window has booked appointments")
        }
    }
}
