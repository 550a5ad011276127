/// The contract's error codes (CONTRACT.md §1), each with its HTTP status.
public enum ErrorCode: String, Codable, Sendable, CaseIterable {
    case validation = "VALIDATION"
    case unauthenticated = "UNAUTHENTICATED"
    case invalidCredentials = "INVALID_CREDENTIALS"
    case forbidden = "FORBIDDEN"
    case blacklisted = "BLACKLISTED"
    case notFound = "NOT_FOUND"
    case invalidTransition = "INVALID_TRANSITION"
    case slotTaken = "SLOT_TAKEN"
    case patientBusy = "PATIENT_BUSY"
    case doctorUnavailable = "DOCTOR_UNAVAILABLE"
    case overlappingAvailability = "OVERLAPPING_AVAILABILITY"
    case hasBookings = "HAS_BOOKINGS"
    case duplicate = "DUPLICATE"
    case mutationGap = "MUTATION_GAP"
    case mutationMismatch = "MUTATION_MISMATCH"
    case outsideAvailability = "OUTSIDE_AVAILABILITY"
    case inPast = "IN_PAST"
    case tooLate = "TOO_LATE"
    case tooEarly = "TOO_EARLY"
    case payloadTooLarge = "PAYLOAD_TOO_LARGE"
    case upgradeRequired = "UPGRADE_REQUIRED"
    case rateLimited = "RATE_LIMITED"
    case methodNotAllowed = "METHOD_NOT_ALLOWED"
    case `internal` = "INTERNAL"
    case unavailable = "UNAVAILABLE"
    /// An admin disabled the account (CONTRACT.md §9.1); checked before `BLACKLISTED`.
    case disabled = "DISABLED"

    /// The HTTP status the contract pairs with this code.
    public var httpStatus: Int {
        switch self {
        case .validation: 400
        case .unauthenticated, .invalidCredentials: 401
        case .forbidden, .blacklisted, .disabled: 403
        case .notFound: 404
        case .methodNotAllowed: 405
        case .invalidTransition, .slotTaken, .patientBusy, .doctorUnavailable, .overlappingAvailability,
            .hasBookings, .duplicate, .mutationGap, .mutationMismatch:
            409
        case .payloadTooLarge: 413
        case .outsideAvailability, .inPast, .tooLate, .tooEarly: 422
        case .upgradeRequired: 426
        case .rateLimited: 429
        case .internal: 500
        case .unavailable: 503
        }
    }
}
