import Foundation

/// Dates (`YYYY-MM-DD`) are days in the clinic's time zone (CONTRACT.md §1): how the server and
/// `hms-sync serve` read the `date`, `from` and `to` of a request.
package struct ClinicCalendar: Sendable {
    package let timeZone: TimeZone

    package init(timeZone: TimeZone) {
        self.timeZone = timeZone
    }

    /// The day `[00:00, next 00:00)` in the clinic's zone, or nil when `text` is no date.
    package func day(_ text: String) -> TimeRange? {
        ClinicDay.range(of: text, in: timeZone)
    }

    /// The clinic day an instant falls in.
    package func day(containing instant: Date) -> TimeRange {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let start = calendar.startOfDay(for: instant)
        return TimeRange(start: start, end: calendar.date(byAdding: .day, value: 1, to: start) ?? start.addingTimeInterval(86_400))
    }

    /// A `from`/`to` bound: an RFC 3339 time, or a date meaning its first instant.
    package func instant(_ text: String, field: String) throws(DomainError) -> Date {
        if let date = RFC3339.parse(text) { return date }
        if let day = day(text) { return day.start }
        throw .validation(field: field, "\(field) must be an RFC 3339 time or a YYYY-MM-DD date")
    }

    package func requiredDay(_ text: String?, field: String) throws(DomainError) -> TimeRange {
        guard let text, let day = day(text) else {
            throw .validation(field: field, "\(field) must be a YYYY-MM-DD date")
        }
        return day
    }
}
