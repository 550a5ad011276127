import Foundation
import HMSSyncCore
import Testing

@Suite("WeeklySchedule: a doctor's recurring hours, day by day on the clinic's wall clock (CONTRACT §9.3)")
struct WeeklyScheduleTests {
    static let london = TimeZone(identifier: "Europe/London")!
    static let newYork = TimeZone(identifier: "America/New_York")!

    static func schedule(
        _ weekdays: [Int] = Array(1...7), _ startTime: String = "09:00", _ endTime: String = "12:00", slot: Int = 30,
        from: String, until: String
    ) throws -> WeeklySchedule {
        try WeeklySchedule(
            weekdays: weekdays, startTime: startTime, endTime: endTime, slotMinutes: slot, from: from, until: until)
    }

    /// Each day as `date start–end` in UTC, the way the assertions read.
    static func utc(_ days: [ScheduledDay]) -> [String] {
        days.map { "\($0.date) \(RFC3339.format($0.range.start))–\(RFC3339.format($0.range.end))" }
    }

    @Test("a week over London's spring change keeps 09:00–12:00 local: 09:00Z before it, 08:00Z after")
    func londonSpring() throws {
        let days = try Self.schedule(from: "2027-03-26", until: "2027-03-29").days(in: Self.london)
        #expect(Self.utc(days) == [
            "2027-03-26 2027-03-26T09:00:00Z–2027-03-26T12:00:00Z",
            "2027-03-27 2027-03-27T09:00:00Z–2027-03-27T12:00:00Z",
            "2027-03-28 2027-03-28T08:00:00Z–2027-03-28T11:00:00Z",
            "2027-03-29 2027-03-29T08:00:00Z–2027-03-29T11:00:00Z",
        ])
    }

    @Test("a week over New York's autumn change keeps 09:00–17:00 local: 13:00Z before it, 14:00Z after")
    func newYorkAutumn() throws {
        let days = try Self.schedule([5, 6, 7, 1], "09:00", "17:00", slot: 60, from: "2027-11-05", until: "2027-11-08")
            .days(in: Self.newYork)
        #expect(Self.utc(days) == [
            "2027-11-05 2027-11-05T13:00:00Z–2027-11-05T21:00:00Z",
            "2027-11-06 2027-11-06T13:00:00Z–2027-11-06T21:00:00Z",
            "2027-11-07 2027-11-07T14:00:00Z–2027-11-07T22:00:00Z",
            "2027-11-08 2027-11-08T14:00:00Z–2027-11-08T22:00:00Z",
        ])
    }

    @Test("a local time the change skips moves forward by the gap (London 01:30 → 02:30 BST; New York 02:30 → 03:30 EDT)")
    func skippedTimeMovesForward() throws {
        let london = try Self.schedule([7], "01:30", "03:00", from: "2027-03-28", until: "2027-03-28").days(in: Self.london)
        #expect(Self.utc(london) == ["2027-03-28 2027-03-28T01:30:00Z–2027-03-28T02:00:00Z"])
        let newYork = try Self.schedule([7], "02:30", "04:00", from: "2027-03-14", until: "2027-03-14").days(in: Self.newYork)
        #expect(Self.utc(newYork) == ["2027-03-14 2027-03-14T07:30:00Z–2027-03-14T08:00:00Z"])
    }

    @Test("an ambiguous local time is its first occurrence (London 01:00 on the autumn change is 01:00 BST)")
    func ambiguousTimeIsTheEarlier() throws {
        let days = try Self.schedule([7], "01:00", "02:00", slot: 60, from: "2027-10-31", until: "2027-10-31")
            .days(in: Self.london)
        // 01:00 BST is 00:00Z; 02:00 exists once, in GMT: the window holds the repeated hour too
        #expect(Self.utc(days) == ["2027-10-31 2027-10-31T00:00:00Z–2027-10-31T02:00:00Z"])
        let repeated = try Self.schedule([7], "01:30", "01:45", slot: 15, from: "2027-11-07", until: "2027-11-07")
            .days(in: Self.newYork)
        #expect(Self.utc(repeated) == ["2027-11-07 2027-11-07T05:30:00Z–2027-11-07T05:45:00Z"])
    }

    @Test("only the chosen weekdays, in date order, both ends inclusive; repeats are ignored")
    func weekdaysAndBounds() throws {
        // 2027-03-01 is a Monday
        let days = try Self.schedule([3, 1, 1], from: "2027-03-01", until: "2027-03-15").days(in: .gmt)
        #expect(days.map(\.date.description) == ["2027-03-01", "2027-03-03", "2027-03-08", "2027-03-10", "2027-03-15"])
        #expect(days.map(\.date.weekday) == [1, 3, 1, 3, 1])
    }

    /// (weekdays, startTime, endTime, slotMinutes, from, until, the field named)
    static let invalid: [([Int], String, String, Int, String, String, String)] = [
        ([], "09:00", "12:00", 30, "2027-03-01", "2027-03-07", "weekdays"),
        ([0], "09:00", "12:00", 30, "2027-03-01", "2027-03-07", "weekdays"),
        ([1, 8], "09:00", "12:00", 30, "2027-03-01", "2027-03-07", "weekdays"),
        ([1], "9:00", "12:00", 30, "2027-03-01", "2027-03-07", "startTime"),
        ([1], "09:00", "24:00", 30, "2027-03-01", "2027-03-07", "endTime"),
        ([1], "09:60", "12:00", 30, "2027-03-01", "2027-03-07", "startTime"),
        ([1], "+9:00", "12:00", 30, "2027-03-01", "2027-03-07", "startTime"),
        ([1], "12:00", "12:00", 30, "2027-03-01", "2027-03-07", "endTime"),
        ([1], "12:00", "09:00", 30, "2027-03-01", "2027-03-07", "endTime"),
        ([1], "09:00", "09:45", 30, "2027-03-01", "2027-03-07", "endTime"),
        ([1], "09:00", "12:00", 4, "2027-03-01", "2027-03-07", "slotMinutes"),
        ([1], "09:00", "13:01", 241, "2027-03-01", "2027-03-07", "slotMinutes"),
        ([1], "09:00", "12:00", 30, "2027-02-30", "2027-03-07", "from"),
        ([1], "09:00", "12:00", 30, "2027-03-01", "07-03-2027", "until"),
        ([1], "09:00", "12:00", 30, "2027-03-08", "2027-03-07", "until"),
        ([1], "09:00", "12:00", 30, "2028-01-01", "2029-01-01", "until"),
    ]

    @Test("a request invalid as a whole is VALIDATION naming its field", arguments: invalid)
    func validation(_ row: ([Int], String, String, Int, String, String, String)) {
        let (weekdays, start, end, slot, from, until, field) = row
        do throws(DomainError) {
            _ = try WeeklySchedule(weekdays: weekdays, startTime: start, endTime: end, slotMinutes: slot, from: from, until: until)
            Issue.record("accepted \(row)")
        } catch {
            #expect(error.code == .validation)
            #expect(error.details["field"] == .string(field))
        }
    }

    @Test("366 days counted inclusively are allowed (a leap year), 367 are not")
    func longestSpan() throws {
        let year = try Self.schedule([1], from: "2028-01-01", until: "2028-12-31")
        #expect(year.until.day - year.from.day == 365)
        #expect(outcome { _ = try Self.schedule([1], from: "2027-01-01", until: "2028-01-01") } == "ok")
        #expect(outcome { _ = try Self.schedule([1], from: "2027-01-01", until: "2028-01-02") } == "VALIDATION")
    }

    @Test("a day is checked with the availability rules: overlap, or a shape the change bent")
    func dayCheck() throws {
        let schedule = try Self.schedule([6, 7], "01:30", "02:15", slot: 15, from: "2027-03-27", until: "2027-03-28")
        let days = schedule.days(in: Self.london)
        #expect(outcome { try schedule.check(days[0], against: []) } == "ok")
        // on the change, 01:30 moves to 02:30 BST, after 02:15 BST: the window would end before it starts
        #expect(outcome { try schedule.check(days[1], against: []) } == "VALIDATION")
        let taken = AvailabilityWindow(
            id: "w", doctorId: "d", start: days[0].range.start.addingTimeInterval(-900),
            end: days[0].range.start.addingTimeInterval(900), slotMinutes: 15)
        #expect(outcome { try schedule.check(days[0], against: [taken]) } == "OVERLAPPING_AVAILABILITY")
    }
}
