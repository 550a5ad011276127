import Foundation

/// `POST /v1/doctors/me/schedule`'s body (CONTRACT.md §9.3); `WeeklySchedule` checks it.
public struct ScheduleRequest: Codable, Sendable, Equatable {
    public let weekdays: [Int]
    public let startTime: String
    public let endTime: String
    public let slotMinutes: Int
    public let from: String
    public let until: String

    public init(weekdays: [Int], startTime: String, endTime: String, slotMinutes: Int, from: String, until: String) {
        self.weekdays = weekdays
        self.startTime = startTime
        self.endTime = endTime
        self.slotMinutes = slotMinutes
        self.from = from
        self.until = until
    }
}

/// The answer: `{created: [window...], skipped: [{date, code}]}`, both in date order.
public struct ScheduleResult: Codable, Sendable, Equatable {
    public var created: [AvailabilityWindow]
    public var skipped: [SkippedDay]

    public init(created: [AvailabilityWindow] = [], skipped: [SkippedDay] = []) {
        self.created = created
        self.skipped = skipped
    }
}

/// A day of a schedule that got no window, and the rule its window would have broken.
public struct SkippedDay: Codable, Sendable, Equatable {
    public let date: String
    public let code: ErrorCode

    public init(date: String, code: ErrorCode) {
        self.date = date
        self.code = code
    }
}
