import Foundation
import HMSSyncCore

/// Availability windows, slots and the appointment intents.
protocol SchedulingStore: Sendable {
    func addWindow(doctorId: String, start: Date, end: Date, slotMinutes: Int) async throws -> AvailabilityWindow
    func removeWindow(doctorId: String, id: String) async throws
    /// A weekly schedule's windows (`days`, from `schedule.days(in:)`), each written or skipped
    /// with the code of the rule it breaks, all in one transaction (CONTRACT.md §9.3).
    func addSchedule(doctorId: String, schedule: WeeklySchedule, days: [ScheduledDay]) async throws -> ScheduleResult
    /// A page of a doctor's windows that overlap `[from, to)`, by start.
    func windows(doctorId: String, from: Date?, to: Date?, after cursor: ListCursor?, limit: Int) async throws
        -> [AvailabilityWindow]
    /// Every slot starting inside `day`, marked free unless taken or started (`SlotRule.isFree`).
    func slots(doctorId: String, day: TimeRange, now: Date) async throws -> [Slot]

    /// Books; a `SLOT_TAKEN` carries `details.alternatives` (CONTRACT.md §9.2).
    func book(_ intent: BookIntent, actor: Actor, now: Date) async throws -> BookingOutcome
    /// Moves a booked appointment in one transaction (CONTRACT.md §9.8).
    func reschedule(_ intent: RescheduleIntent, actor: Actor, now: Date) async throws -> BookingOutcome
    func cancel(_ intent: CancelIntent, actor: Actor, now: Date) async throws -> Appointment
    func complete(_ intent: CompleteIntent, actor: Actor, now: Date) async throws -> Appointment
    /// The appointment if `actor` may see it, else `NOT_FOUND`.
    func appointment(id: String, actor: Actor) async throws -> Appointment
    /// A page of appointments in the actor's scope: by start ascending, a patient's newest first.
    func appointments(actor: Actor, filter: AppointmentFilter, after cursor: ListCursor?, limit: Int) async throws
        -> [Appointment]
}
