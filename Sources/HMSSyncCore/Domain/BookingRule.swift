import Foundation

/// What a booking is judged against, gathered by the server from its database or by a
/// replica from its local view.
public struct BookingFacts: Sendable {
    public var doctorExists: Bool
    public var doctorBlacklisted: Bool
    public var patientExists: Bool
    /// The doctor's windows around the wanted start.
    public var windows: [AvailabilityWindow]
    /// Spans of the doctor's active appointments near the wanted start.
    public var doctorBusy: [TimeRange]
    /// Spans of the patient's active appointments near the wanted start.
    public var patientBusy: [TimeRange]
    public var now: Date

    public init(
        doctorExists: Bool, doctorBlacklisted: Bool, patientExists: Bool, windows: [AvailabilityWindow],
        doctorBusy: [TimeRange], patientBusy: [TimeRange], now: Date
    ) {
        self.doctorExists = doctorExists
        self.doctorBlacklisted = doctorBlacklisted
        self.patientExists = patientExists
        self.windows = windows
        self.doctorBusy = doctorBusy
        self.patientBusy = patientBusy
        self.now = now
    }
}

/// The booking rules after authorization and validation, in the contract's order:
/// `NOT_FOUND` (doctor, then patient), `DOCTOR_UNAVAILABLE`, `OUTSIDE_AVAILABILITY`, `IN_PAST`,
/// `SLOT_TAKEN`, `PATIENT_BUSY`.
public enum BookingRule {
    /// How far around a start the facts must reach: the longest slot.
    public static let factsReach: TimeInterval = AvailabilityRule.longestSlot

    /// The booked slot `[start, end)`, or the first rule it breaks.
    public static func decide(start: Date, facts: BookingFacts) throws(DomainError) -> TimeRange {
        guard facts.doctorExists else { throw .notFound("doctor") }
        guard facts.patientExists else { throw .notFound("patient") }
        guard !facts.doctorBlacklisted else {
            throw DomainError(.doctorUnavailable, "the doctor is not taking appointments")
        }
        let slot = try SlotRule.slot(startingAt: start, in: facts.windows)
        guard start > facts.now else {
            throw DomainError(.inPast, "that slot has already started")
        }
        try OverlapRule.check(slot, doctorBusy: facts.doctorBusy, patientBusy: facts.patientBusy)
        return slot
    }

    /// Whether a re-sent booking carries the same content as the stored one (then it answers
    /// the stored appointment instead of `DUPLICATE`). Reasons compare after NFC, so a client
    /// that sends another normalization form of the same text is not refused.
    public static func isSameBooking(
        _ intent: BookIntent, storedDoctorId: String, storedPatientId: String, storedStart: Date, storedReason: String?
    ) -> Bool {
        intent.doctorId == storedDoctorId && intent.patientId == storedPatientId
            && intent.start.wholeSeconds == storedStart.wholeSeconds
            && FieldRule.normalized(intent.reason ?? "") == FieldRule.normalized(storedReason ?? "")
    }
}
