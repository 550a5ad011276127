import Foundation

/// Who may send which intent, and the shape of its arguments: the first checks of every
/// intent, in the contract's order (`FORBIDDEN`, then `VALIDATION`). The intents they answer
/// carry lowercase ids and NFC text (`FieldRule`), as they are stored.
public enum IntentRule {
    /// A booking with normalized ids and the patient it is for: the actor when a patient books,
    /// the given `patientId` when an admin does.
    public static func authorize(_ intent: BookIntent, by actor: Actor) throws(DomainError) -> BookIntent {
        var checked = intent
        switch actor.role {
        case .doctor:
            throw DomainError.forbidden
        case .patient:
            checked.patientId = actor.userId
        case .admin:
            guard let patientId = intent.patientId else {
                throw .validation(field: "patientId", "an admin must name the patientId")
            }
            checked.patientId = try FieldRule.id(patientId, field: "patientId")
        }
        checked.appointmentId = try FieldRule.id(intent.appointmentId, field: "id")
        checked.doctorId = try FieldRule.id(intent.doctorId, field: "doctorId")
        checked.reason = try FieldRule.optionalText(intent.reason, field: "reason", limit: .reason)
        checked.start = intent.start.wholeSeconds
        return checked
    }

    /// Patients cancel their own, admins any; doctors may not cancel.
    public static func authorize(_ intent: CancelIntent, by actor: Actor) throws(DomainError) -> CancelIntent {
        guard actor.role != .doctor else { throw DomainError.forbidden }
        var checked = intent
        checked.appointmentId = try FieldRule.id(intent.appointmentId, field: "id")
        checked.reason = try FieldRule.optionalText(intent.reason, field: "reason", limit: .reason)
        return checked
    }

    /// Who may move an appointment: as for cancel (CONTRACT.md §9.8).
    public static func authorize(_ intent: RescheduleIntent, by actor: Actor) throws(DomainError) -> RescheduleIntent {
        guard actor.role != .doctor else { throw DomainError.forbidden }
        var checked = intent
        checked.appointmentId = try FieldRule.id(intent.appointmentId, field: "id")
        checked.newAppointmentId = try FieldRule.id(intent.newAppointmentId, field: "newAppointmentId")
        checked.reason = try FieldRule.optionalText(intent.reason, field: "reason", limit: .reason)
        checked.start = intent.start.wholeSeconds
        return checked
    }

    /// Only doctors complete, and only their own appointments (checked against the row).
    public static func authorize(_ intent: CompleteIntent, by actor: Actor) throws(DomainError) -> CompleteIntent {
        guard actor.role == .doctor else { throw DomainError.forbidden }
        var checked = intent
        checked.appointmentId = try FieldRule.id(intent.appointmentId, field: "id")
        checked.diagnosis = try FieldRule.requiredText(intent.diagnosis, field: "diagnosis", limit: .notes)
        checked.treatment = try FieldRule.requiredText(intent.treatment, field: "treatment", limit: .notes)
        return checked
    }

    /// Whether `actor` may see (and so act on) an appointment; others get `NOT_FOUND`.
    public static func canSee(patientId: String, doctorId: String, actor: Actor) -> Bool {
        switch actor.role {
        case .admin: true
        case .doctor: doctorId == actor.userId
        case .patient: patientId == actor.userId
        }
    }
}

extension Date {
    /// The contract writes whole seconds; stored and compared times drop the fraction.
    public var wholeSeconds: Date {
        Date(timeIntervalSince1970: timeIntervalSince1970.rounded(.down))
    }
}
