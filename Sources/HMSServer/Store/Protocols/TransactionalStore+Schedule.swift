import Foundation
import HMSSyncCore

extension TransactionalStore where Transaction: AvailabilityRows {
    /// Writes a weekly schedule's windows in one transaction with the request's audit row (`ScheduleFlow`).
    func addSchedule(doctorId: String, schedule: WeeklySchedule, days: [ScheduledDay]) async throws -> ScheduleResult {
        try await auditedTransaction { tx in
            try ScheduleFlow.add(tx, doctorId: doctorId, schedule: schedule, days: days)
        }
    }
}
