import Foundation

/// Dates (`YYYY-MM-DD`) are days in the clinic's time zone (CONTRACT.md §1).
public enum ClinicDay {
    /// The day `[00:00, next 00:00)` in `timeZone`, or nil when `text` is no date.
    public static func range(of text: String, in timeZone: TimeZone) -> TimeRange? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]),
            let day = Int(parts[2])
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let components = DateComponents(year: year, month: month, day: day)
        guard components.isValidDate(in: calendar), let start = calendar.date(from: components),
            let end = calendar.date(byAdding: .day, value: 1, to: start)
        else { return nil }
        return TimeRange(start: start, end: end)
    }
}
