import HMSSyncCore

/// What a booking did: a new appointment, or the stored one for an idempotent re-send.
enum BookingOutcome: Sendable {
    case created(Appointment)
    case existing(Appointment)

    var appointment: Appointment {
        switch self {
        case .created(let appointment), .existing(let appointment): appointment
        }
    }
}
