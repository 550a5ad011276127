import Foundation

/// Local wall-clock times in a time zone, turned into instants by the rules of weekly schedules
/// (CONTRACT.md §9.3): a local time that does not exist that day (skipped by a daylight-saving
/// change) moves forward by the gap, and an ambiguous one (repeated) is its first occurrence.
public enum WallClock {
    /// The instant at which clocks in `timeZone` show `wall`, where `wall` is the local date and
    /// time written as if it were UTC (seconds since 1970 of the local calendar reading).
    public static func instant(ofLocal wall: Int64, in timeZone: TimeZone) -> Date {
        // The offsets half a day either side bracket any one transition near this time.
        let before = offset(timeZone, at: wall - 43_200)
        let after = offset(timeZone, at: wall + 43_200)
        let candidates = Set([wall - before, wall - after]).sorted().filter { candidate in
            candidate + offset(timeZone, at: candidate) == wall
        }
        // Ambiguous: both readings exist and the earlier is the first occurrence. Skipped: none
        // exists, and reading it with the offset from before the change moves it forward by the gap.
        return Date(timeIntervalSince1970: TimeInterval(candidates.first ?? wall - before))
    }

    private static func offset(_ timeZone: TimeZone, at seconds: Int64) -> Int64 {
        Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds))))
    }
}
