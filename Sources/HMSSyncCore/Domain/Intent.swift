import Foundation

/// A user's wish to change an appointment: what the outbox stores and `POST /v1/sync/push` carries.
/// The REST endpoints and push handlers decode into these same values.
public enum Intent: Sendable, Equatable {
    case book(BookIntent)
    case cancel(CancelIntent)
    case complete(CompleteIntent)
    case reschedule(RescheduleIntent)

    /// The mutation `name` of the sync protocol.
    public var name: String {
        switch self {
        case .book: "book"
        case .cancel: "cancel"
        case .complete: "complete"
        case .reschedule: "reschedule"
        }
    }

    /// The appointment the intent is about (for a reschedule, the one it moves).
    public var appointmentId: String {
        switch self {
        case .book(let book): book.appointmentId
        case .cancel(let cancel): cancel.appointmentId
        case .complete(let complete): complete.appointmentId
        case .reschedule(let reschedule): reschedule.appointmentId
        }
    }
}

/// Book `doctorId` at `start`; `patientId` is the admin's choice and ignored for a patient.
public struct BookIntent: Sendable, Equatable {
    public var appointmentId: String
    public var doctorId: String
    public var start: Date
    public var reason: String?
    public var patientId: String?

    public init(appointmentId: String, doctorId: String, start: Date, reason: String? = nil, patientId: String? = nil) {
        self.appointmentId = appointmentId
        self.doctorId = doctorId
        self.start = start
        self.reason = reason
        self.patientId = patientId
    }
}

/// Cancel an appointment, with an optional reason.
public struct CancelIntent: Sendable, Equatable {
    public var appointmentId: String
    public var reason: String?

    public init(appointmentId: String, reason: String? = nil) {
        self.appointmentId = appointmentId
        self.reason = reason
    }
}

/// Complete an appointment with the doctor's notes.
public struct CompleteIntent: Sendable, Equatable {
    public var appointmentId: String
    public var diagnosis: String
    public var treatment: String

    public init(appointmentId: String, diagnosis: String, treatment: String) {
        self.appointmentId = appointmentId
        self.diagnosis = diagnosis
        self.treatment = treatment
    }
}

/// Move a booked appointment (CONTRACT.md §9.8): cancel `appointmentId` (reason `rescheduled`)
/// and book `newAppointmentId` for the same doctor and patient at `start`, in one step.
public struct RescheduleIntent: Sendable, Equatable {
    /// The `cancelReason` the moved appointment gets.
    public static let cancelReason = "rescheduled"

    public var appointmentId: String
    public var newAppointmentId: String
    public var start: Date
    /// The new appointment's reason; nil keeps the old one's.
    public var reason: String?

    public init(appointmentId: String, newAppointmentId: String, start: Date, reason: String? = nil) {
        self.appointmentId = appointmentId
        self.newAppointmentId = newAppointmentId
        self.start = start
        self.reason = reason
    }

    /// The booking the move makes: the old appointment's doctor and patient at the new start.
    public func booking(replacing old: Appointment) -> BookIntent {
        BookIntent(
            appointmentId: newAppointmentId, doctorId: old.doctorId, start: start, reason: reason ?? old.reason,
            patientId: old.patientId)
    }
}
