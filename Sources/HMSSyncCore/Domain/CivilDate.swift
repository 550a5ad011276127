import Foundation

/// A calendar date (`YYYY-MM-DD`) without a time zone: the days of a weekly schedule, counted
/// as days since 1970-01-01.
public struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let day: Int64

    public init(day: Int64) {
        self.day = day
    }

    /// The date `text` names, or nil when it is no valid `YYYY-MM-DD` date.
    public init?(_ text: String) {
        guard let range = ClinicDay.range(of: text, in: .gmt) else { return nil }
        day = Int64((range.start.timeIntervalSince1970 / 86_400).rounded(.down))
    }

    /// ISO weekday: Monday = 1 … Sunday = 7 (1970-01-01 was a Thursday).
    public var weekday: Int { Int(((day + 3) % 7 + 7) % 7) + 1 }

    /// `YYYY-MM-DD`.
    public var description: String {
        String(RFC3339.format(Date(timeIntervalSince1970: TimeInterval(day * 86_400))).prefix(10))
    }

    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool { lhs.day < rhs.day }
}
