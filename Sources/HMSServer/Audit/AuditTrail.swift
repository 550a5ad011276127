import Foundation
import HMSSyncCore

/// The audit trail of one request, made by `AuditMiddleware` and reachable from the store as a
/// task-local value: every write transaction a request runs appends its audit row inside that
/// same transaction (`TransactionalStore.auditedTransaction`), so a write and its audit row commit or roll back together,
/// without each store function passing the request around.
struct AuditTrail: Sendable {
    /// The request being served, when there is one (jobs run without).
    @TaskLocal static var current: AuditTrail?

    let action: String
    let entity: String
    let pathId: String?
    let caller: Actor?
    let requestId: String
    let clientIp: String
    let note: AuditNote
    let clock: AppClock

    /// The request's row as things stand now.
    func entry(
        outcome: String, patientId: String? = nil, entityId: String? = nil, action: String? = nil, entity: String? = nil
    ) -> AuditEntry {
        let actor = caller ?? note.actor
        return AuditEntry(
            id: RandomID.make(), at: clock.now(), actorId: actor?.userId, actorRole: actor?.role.rawValue,
            action: action ?? self.action, entity: entity ?? self.entity, entityId: entityId ?? note.entityId ?? pathId,
            patientId: patientId ?? note.patientId, outcome: outcome, requestId: requestId, clientIp: clientIp)
    }

    /// Appends the request's row inside the caller's write transaction, naming what `value` is
    /// about when it says (an appointment, a user).
    func appendWrite<T: AuditRows>(_ tx: T, result value: Any) throws {
        var outcome = "success"
        if let subject = value as? any AuditSubject {
            note.record(entityId: subject.auditEntityId, patientId: subject.auditPatientId)
            if caller == nil, let actor = subject.auditActor { note.record(actor: actor) }
            outcome = subject.auditOutcome ?? outcome
        }
        try tx.appendAudit(entry(outcome: outcome))
        note.markWrittenInTransaction()
    }
}

/// A store result that names what an audit row is about: the thing, its patient, and for calls
/// without a token the user they acted as; a refusal decided inside a committed write (a spent
/// refresh token revoking its family) gives its code as the outcome.
protocol AuditSubject {
    var auditEntityId: String? { get }
    var auditPatientId: String? { get }
    var auditActor: Actor? { get }
    var auditOutcome: String? { get }
}

extension AuditSubject {
    var auditActor: Actor? { nil }
    var auditOutcome: String? { nil }
}

extension Appointment: AuditSubject {
    var auditEntityId: String? { id }
    var auditPatientId: String? { patientId }
}

extension BookingOutcome: AuditSubject {
    var auditEntityId: String? { appointment.id }
    var auditPatientId: String? { appointment.patientId }
}

extension UserRecord: AuditSubject {
    var auditEntityId: String? { id }
    var auditPatientId: String? { role == .patient ? id : nil }
    var auditActor: Actor? { Actor(userId: id, role: role) }
}

extension RefreshOutcome: AuditSubject {
    var auditEntityId: String? {
        if case .issued(let user, _) = self { user.id } else { nil }
    }
    var auditPatientId: String? { nil }
    var auditActor: Actor? {
        if case .issued(let user, _) = self { Actor(userId: user.id, role: user.role) } else { nil }
    }
    var auditOutcome: String? {
        if case .refused(let error) = self { error.code.rawValue } else { nil }
    }
}

extension AuditEntry {
    /// The row of an appointment the no-show sweep marked: by the admin whose request ran it,
    /// else by the system's automatic sweep.
    static func noShow(_ appointment: Appointment, trail: AuditTrail?, at now: Date) -> AuditEntry {
        sweepStep("mark-no-show", appointment, trail: trail, at: now)
    }

    /// The row of one step of the no-show sweep on an appointment (`mark-no-show`,
    /// `queue-reminder`): by the admin whose request ran the sweep, else by the system's job.
    static func sweepStep(_ step: String, _ appointment: Appointment, trail: AuditTrail?, at now: Date) -> AuditEntry {
        if let trail {
            trail.note.markWrittenInTransaction()
            return trail.entry(
                outcome: "success", patientId: appointment.patientId, entityId: appointment.id,
                action: "\(trail.action) \(step)", entity: "appointment")
        }
        return AuditEntry(
            id: RandomID.make(), at: now, actorId: nil, actorRole: "system", action: "job no-show \(step)",
            entity: "appointment", entityId: appointment.id, patientId: appointment.patientId, outcome: "success",
            requestId: "no-show-sweep", clientIp: "local")
    }
}
