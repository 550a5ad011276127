import Foundation
import HMSSyncCore

/// A queued reminder email, as the reminder flow writes it.
struct NewReminder: Sendable {
    let id: String
    let appointmentId: String
    let recipient: String
    let subject: String
    let body: String
    let messageId: String
    let now: Date
}

/// The reminder job's rows (`ReminderFlow`): reminders sit in the mail outbox, keyed unique by
/// their appointment.
protocol ReminderRows {
    /// `BOOKED` appointments with `now < start ≤ horizon` that have no reminder yet, soonest
    /// first. A backend shared by several servers skips rows another decision holds.
    func bookedWithoutReminder(startingAfter now: Date, through horizon: Date, limit: Int) throws -> [Appointment]
    /// Queues the appointment's one reminder; answers false when it already has one.
    func queueReminder(_ reminder: NewReminder) throws -> Bool
}

