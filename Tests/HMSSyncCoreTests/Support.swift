import Foundation
import HMSSyncCore

/// 2027-01-15 00:00:00 UTC; the pure rules get their clock as an argument, so any day will do.
let day0 = Date(timeIntervalSince1970: 1_800_000_000 - 1_800_000_000.truncatingRemainder(dividingBy: 86_400))

/// `hour:minute` on `day0`.
func at(_ hour: Int, _ minute: Int = 0) -> Date {
    day0.addingTimeInterval(TimeInterval(hour * 3_600 + minute * 60))
}

func span(_ from: (Int, Int), _ to: (Int, Int)) -> TimeRange {
    TimeRange(start: at(from.0, from.1), end: at(to.0, to.1))
}

func window(_ from: (Int, Int), _ to: (Int, Int), slot: Int, id: String = "w", doctorId: String = "d") -> AvailabilityWindow {
    AvailabilityWindow(id: id, doctorId: doctorId, start: at(from.0, from.1), end: at(to.0, to.1), slotMinutes: slot)
}

/// The code a throwing rule ends with, or `"ok"`.
func outcome(_ body: () throws -> Void) -> String {
    do {
        try body()
        return "ok"
    } catch let error as DomainError {
        return error.code.rawValue
    } catch {
        return "unexpected \(error)"
    }
}
