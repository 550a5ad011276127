import Foundation
import HMSSyncCore

/// Times the tests book at: whole seconds in UTC (the tests' clinic zone), relative to today so
/// they stay in the future.
public enum TestTime {
    /// The start of the UTC day `days` from today, plus `hour` hours and `minute` minutes.
    public static func day(_ days: Int, hour: Int = 0, minute: Int = 0) -> Date {
        let today = (Date().timeIntervalSince1970 / 86_400).rounded(.down) * 86_400
        return Date(timeIntervalSince1970: today + Double(days * 86_400 + hour * 3_600 + minute * 60))
    }

    /// The start of tomorrow, UTC: every slot on that day is in the future.
    public static var tomorrow: Date { day(1) }

    /// The next whole hour after now.
    public static var nextWholeHour: Date {
        Date(timeIntervalSince1970: ((Date().timeIntervalSince1970 / 3_600).rounded(.down) + 1) * 3_600)
    }

    /// Now, to the whole second (as the contract's times are).
    public static var now: Date { Date().wholeSeconds }

    /// The UTC day that holds `date`.
    public static func day(of date: Date) -> TimeRange {
        let start = Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)
        return TimeRange(start: start, end: start.addingTimeInterval(86_400))
    }

    /// `YYYY-MM-DD` of `date` in UTC.
    public static func dateString(_ date: Date) -> String {
        String(RFC3339.format(date).prefix(10))
    }
}

/// A time as the contract writes it (`2026-11-25T10:00:00Z`).
public func iso(_ date: Date) -> String { RFC3339.format(date) }
