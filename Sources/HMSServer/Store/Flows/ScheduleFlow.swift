import Foundation
import HMSSyncCore

/// A weekly schedule's windows, written once for every backend in one transaction: each day's
/// window is checked with the availability rules against the doctor's windows as they stand
/// (those of earlier days of this schedule included), then written with its sync change, or
/// skipped with the code of the rule it breaks. A failure rolls back every day.
enum ScheduleFlow {
    static func add<T: StoreTransaction & AvailabilityRows>(
        _ tx: T, doctorId: String, schedule: WeeklySchedule, days: [ScheduledDay]
    ) throws -> ScheduleResult {
        // Safe on a database shared by several servers: the doctor's windows lock, held alone for
        // the whole schedule, keeps another window change (or schedule) from slipping in between
        // a day's overlap check and its insert, and waits for bookings in flight.
        try tx.lockWindowsForChange(doctorId: doctorId)
        var result = ScheduleResult()
        for day in days {
            let others = try tx.windows(doctorId: doctorId, overlapping: day.range)
            do throws(DomainError) {
                try schedule.check(day, against: others)
            } catch {
                result.skipped.append(SkippedDay(date: day.date.description, code: error.code))
                continue
            }
            let window = AvailabilityWindow(
                id: RandomID.make(), doctorId: doctorId, start: day.range.start, end: day.range.end,
                slotMinutes: schedule.slotMinutes)
            try tx.insertWindow(window)
            try tx.recordChange(.availability, id: window.id, doctorId: doctorId)
            result.created.append(window)
        }
        return result
    }
}
