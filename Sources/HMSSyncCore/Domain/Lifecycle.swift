import Foundation

/// What can happen to an appointment.
public enum LifecycleEvent: String, Sendable, CaseIterable {
    case complete
    case cancel
    case markNoShow

    /// The status the event leads to when it is allowed.
    public var target: AppointmentStatus {
        switch self {
        case .complete: .completed
        case .cancel: .cancelled
        case .markNoShow: .noShow
        }
    }
}

/// The appointment lifecycle `BOOKED → COMPLETED | CANCELLED | NO_SHOW` as a pure function:
/// no clock, no I/O. The server and every replica call it, so both judge alike.
public enum Lifecycle {
    /// The next status, or `INVALID_TRANSITION` (with `from` and `to`) when the state forbids it,
    /// or the time rule's code when the state allows it but `now` does not.
    /// - Parameters:
    ///   - slot: the appointment's `[start, end)`.
    ///   - noShowGrace: how long after `end` a booked appointment becomes overdue.
    public static func next(
        from status: AppointmentStatus,
        on event: LifecycleEvent,
        slot: TimeRange,
        now: Date,
        noShowGrace: TimeInterval = 0
    ) throws(DomainError) -> AppointmentStatus {
        guard status == .booked else { throw refusal(from: status, on: event) }
        switch event {
        case .complete:
            guard now >= slot.start else {
                throw DomainError(.tooEarly, "an appointment can be completed only from its start")
            }
        case .cancel:
            guard now < slot.start else {
                throw DomainError(.tooLate, "an appointment can be cancelled only before its start")
            }
        case .markNoShow:
            guard isOverdue(slot: slot, now: now, grace: noShowGrace) else {
                throw DomainError(.tooEarly, "an appointment is a no-show only once its end and the grace have passed")
            }
        }
        return event.target
    }

    /// `INVALID_TRANSITION` (with `from` and `to`): `event` can't happen to an appointment in `status`.
    public static func refusal(from status: AppointmentStatus, on event: LifecycleEvent) -> DomainError {
        DomainError(
            .invalidTransition,
            "an appointment that is \(status.rawValue) cannot become \(event.target.rawValue)",
            details: ["from": .string(status.rawValue), "to": .string(event.target.rawValue)]
        )
    }

    /// An appointment is overdue when the clock is at or past `end + grace`.
    public static func isOverdue(slot: TimeRange, now: Date, grace: TimeInterval) -> Bool {
        now >= slot.end.addingTimeInterval(grace)
    }
}
