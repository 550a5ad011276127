import Foundation
import HMSSyncCore

/// A queued escalation email, as the no-show flow writes it.
struct NewEmail: Sendable {
    let id: String
    let penaltyId: String
    let recipient: String
    let subject: String
    let body: String
    let messageId: String
    let now: Date
}

/// The no-show sweep's rows (`NoShowFlow`).
protocol NoShowRows {
    /// `BOOKED` appointments that ended by `cutoff`, oldest end first. A backend shared by several
    /// servers skips rows another sweep holds.
    func overdueBooked(endedBy cutoff: Date, limit: Int) throws -> [Appointment]
    /// Sets `NO_SHOW` if the appointment is still `BOOKED`; answers whether this call did.
    func markNoShow(id: String, now: Date) throws -> Bool
    /// Inserts the appointment's one penalty; answers false when it already has one.
    func insertPenalty(id: String, for appointment: Appointment, now: Date) throws -> Bool
    /// Queues the penalty's one email; answers false when it already has one.
    func queueEmail(_ email: NewEmail) throws -> Bool
}
