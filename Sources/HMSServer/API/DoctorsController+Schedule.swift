import Foundation
import HMSSyncCore
import HMSWebSupport
import Hummingbird

extension DoctorsController {
    /// `POST /v1/doctors/me/schedule` (doctor): a weekly schedule's windows, in the clinic's time
    /// zone (CONTRACT.md §9.3); 201 even when every day is skipped.
    @Sendable func addSchedule(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.require(.doctor)
        let body = try await request.decodeJSON(as: ScheduleRequest.self, context: context)
        let schedule = try WeeklySchedule(
            weekdays: body.weekdays, startTime: body.startTime, endTime: body.endTime, slotMinutes: body.slotMinutes,
            from: body.from, until: body.until)
        let result = try await services.store.addSchedule(
            doctorId: actor.userId, schedule: schedule, days: schedule.days(in: services.calendar.timeZone))
        return try .json(result, status: .created)
    }
}
