import Foundation

/// A doctor's recurring hours (CONTRACT.md §9.3): one window at the same wall-clock hours on each
/// chosen weekday from one date to another, both inclusive, in the clinic's time zone.
public struct WeeklySchedule: Sendable, Equatable {
    /// The most days one schedule may span, counted inclusively.
    public static let longestSpanDays = 366

    /// ISO weekdays, Monday = 1 … Sunday = 7.
    public let weekdays: Set<Int>
    /// Minutes after local midnight.
    public let startMinute: Int
    public let endMinute: Int
    public let slotMinutes: Int
    public let from: CivilDate
    public let until: CivilDate

    /// The schedule, or `VALIDATION` naming the field when the request is invalid as a whole: a
    /// weekday outside 1–7 (or none), a time that is not `HH:MM`, `endTime ≤ startTime`, a slot
    /// length outside the availability rules, `from > until`, over 366 days, or a length that is
    /// not a whole number of slots.
    public init(
        weekdays: [Int], startTime: String, endTime: String, slotMinutes: Int, from: String, until: String
    ) throws(DomainError) {
        guard !weekdays.isEmpty else { throw .validation(field: "weekdays", "weekdays must name at least one day") }
        guard weekdays.allSatisfy((1...7).contains) else {
            throw .validation(field: "weekdays", "weekdays must be 1 (Monday) to 7 (Sunday)")
        }
        let start = try Self.minutes(startTime, field: "startTime")
        let end = try Self.minutes(endTime, field: "endTime")
        guard end > start else { throw .validation(field: "endTime", "endTime must be after startTime") }
        guard AvailabilityRule.slotMinutesRange.contains(slotMinutes) else {
            throw .validation(field: "slotMinutes", "slotMinutes must be between 5 and 240")
        }
        guard (end - start) % slotMinutes == 0 else {
            throw .validation(field: "endTime", "the window's length must be a whole number of slots")
        }
        guard let first = CivilDate(from) else { throw .validation(field: "from", "from must be a YYYY-MM-DD date") }
        guard let last = CivilDate(until) else { throw .validation(field: "until", "until must be a YYYY-MM-DD date") }
        guard first <= last else { throw .validation(field: "until", "until must not be before from") }
        guard last.day - first.day < Int64(Self.longestSpanDays) else {
            throw .validation(field: "until", "a schedule spans at most \(Self.longestSpanDays) days")
        }
        self.weekdays = Set(weekdays)
        self.startMinute = start
        self.endMinute = end
        self.slotMinutes = slotMinutes
        self.from = first
        self.until = last
    }

    /// One window per matching day, in date order, at the schedule's wall-clock hours in
    /// `timeZone` (`WallClock` places times that a daylight-saving change skips or repeats).
    public func days(in timeZone: TimeZone) -> [ScheduledDay] {
        (from.day...until.day).map(CivilDate.init(day:)).filter { weekdays.contains($0.weekday) }.map { date in
            let midnight = date.day * 86_400
            return ScheduledDay(
                date: date,
                range: TimeRange(
                    start: WallClock.instant(ofLocal: midnight + Int64(startMinute * 60), in: timeZone),
                    end: WallClock.instant(ofLocal: midnight + Int64(endMinute * 60), in: timeZone)))
        }
    }

    /// Checks one day's window with the availability rules against the doctor's windows that
    /// overlap it: the code it breaks (`OVERLAPPING_AVAILABILITY`, or `VALIDATION` when a
    /// daylight-saving change bends it out of shape) is the day's reason to be skipped.
    public func check(_ day: ScheduledDay, against others: [AvailabilityWindow]) throws(DomainError) {
        try AvailabilityRule.validate(start: day.range.start, end: day.range.end, slotMinutes: slotMinutes)
        try AvailabilityRule.checkNoOverlap(day.range, with: others)
    }

    /// `HH:MM` (00:00–23:59) as minutes after midnight.
    private static func minutes(_ text: String, field: String) throws(DomainError) -> Int {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard text.utf8.count == 5, parts.count == 2, parts.allSatisfy({ $0.utf8.allSatisfy { (48...57).contains($0) } }),
            let hour = Int(parts[0]), let minute = Int(parts[1]), hour < 24, minute < 60
        else { throw .validation(field: field, "\(field) must be HH:MM, 00:00 to 23:59") }
        return hour * 60 + minute
    }
}

/// One day of a weekly schedule: its date and its window.
public struct ScheduledDay: Sendable, Equatable {
    public let date: CivilDate
    public let range: TimeRange
}
