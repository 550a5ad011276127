import Foundation
import GRDB
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

/// The one code path per intent. REST handlers and sync push both call these inside a write
/// transaction, after `IntentRule.authorize`.
extension Store {
    static func book(_ db: Database, _ intent: BookIntent, now: Date) throws -> BookingOutcome {
        if let stored = try appointment(db, id: intent.appointmentId) {
            guard
                BookingRule.isSameBooking(
                    intent, storedDoctorId: stored.doctorId, storedPatientId: stored.patientId,
                    storedStart: stored.start, storedReason: stored.reason)
            else {
                throw DomainError(.duplicate, "that appointment id is already used for another booking",
                                  details: ["field": .string("id")])
            }
            return .existing(stored)
        }
        let patientId = intent.patientId ?? ""
        let doctor = try user(db, id: intent.doctorId)
        let patient = try user(db, id: patientId)
        let near = TimeRange(
            start: intent.start.addingTimeInterval(-BookingRule.factsReach),
            end: intent.start.addingTimeInterval(BookingRule.factsReach))
        let facts = BookingFacts(
            doctorExists: doctor?.role == .doctor,
            doctorBlacklisted: doctor?.blacklisted ?? false,
            patientExists: patient?.role == .patient,
            windows: try windows(db, doctorId: intent.doctorId, overlapping: near),
            doctorBusy: try activeSpans(db, column: "doctor_id", id: intent.doctorId, near: near),
            patientBusy: try activeSpans(db, column: "patient_id", id: patientId, near: near),
            now: now
        )
        let slot = try BookingRule.decide(start: intent.start, facts: facts)
        do {
            try db.cachedStatement(sql: """
                    INSERT INTO appointments (id, patient_id, doctor_id, start, "end", status, reason, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, 'BOOKED', ?, ?, ?)
                    """).execute(
                arguments: [
                    intent.appointmentId, patientId, intent.doctorId, slot.start.epochSeconds, slot.end.epochSeconds,
                    intent.reason, now.epochSeconds, now.epochSeconds,
                ]
            )
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw Self.ruleViolation(error)
        }
        try recordAppointmentChange(db, id: intent.appointmentId, doctorId: intent.doctorId, patientId: patientId)
        try putBusy(db, appointmentId: intent.appointmentId, doctorId: intent.doctorId, patientId: patientId, end: slot.end)
        return .created(try appointment(db, id: intent.appointmentId)!)
    }

    static func cancel(_ db: Database, _ intent: CancelIntent, actor: Actor, now: Date) throws -> Appointment {
        let stored = try visibleAppointment(db, id: intent.appointmentId, actor: actor)
        let status = try Lifecycle.next(from: stored.status, on: .cancel, slot: stored.slot, now: now)
        try db.execute(
            sql: "UPDATE appointments SET status = ?, cancel_reason = ?, updated_at = ? WHERE id = ?",
            arguments: [status.rawValue, intent.reason, now.epochSeconds, stored.id]
        )
        try endBusy(db, appointmentId: stored.id, doctorId: stored.doctorId, patientId: stored.patientId)
        return try changed(db, stored)
    }

    static func complete(_ db: Database, _ intent: CompleteIntent, actor: Actor, now: Date) throws -> Appointment {
        let stored = try visibleAppointment(db, id: intent.appointmentId, actor: actor)
        let status = try Lifecycle.next(from: stored.status, on: .complete, slot: stored.slot, now: now)
        try db.execute(
            sql: "UPDATE appointments SET status = ?, diagnosis = ?, treatment = ?, updated_at = ? WHERE id = ?",
            arguments: [status.rawValue, intent.diagnosis, intent.treatment, now.epochSeconds, stored.id]
        )
        return try changed(db, stored)
    }

    /// Records the change of an updated appointment and answers its new state.
    static func changed(_ db: Database, _ stored: Appointment) throws -> Appointment {
        try recordAppointmentChange(db, id: stored.id, doctorId: stored.doctorId, patientId: stored.patientId)
        return try appointment(db, id: stored.id)!
    }

    /// Records an appointment's change. Its `busy` row changes only on booking and cancel
    /// (`putBusy`, `endBusy`) and at the slot's end (`expireBusy`), so completion and no-show,
    /// which come after the start, never show through busy rows (CONTRACT.md §9.1).
    static func recordAppointmentChange(_ db: Database, id: String, doctorId: String, patientId: String) throws {
        try recordChange(db, .appointment, id: id, doctorId: doctorId, patientId: patientId)
    }

    /// Runs any intent for `actor`: the sync push door to the same paths the REST endpoints use.
    static func apply(_ db: Database, _ intent: Intent, actor: Actor, now: Date) throws {
        switch intent {
        case .book(let book):
            _ = try self.book(db, try IntentRule.authorize(book, by: actor), now: now)
        case .cancel(let cancel):
            _ = try self.cancel(db, try IntentRule.authorize(cancel, by: actor), actor: actor, now: now)
        case .complete(let complete):
            _ = try self.complete(db, try IntentRule.authorize(complete, by: actor), actor: actor, now: now)
        }
    }

    /// The rule a database guard enforced (the overlap triggers, the unique index), as its code.
    static func ruleViolation(_ error: DatabaseError) -> DomainError {
        let message = error.message ?? ""
        if message.contains("PATIENT_BUSY") {
            return DomainError(.patientBusy, "the patient already has an appointment at that time")
        }
        return DomainError(.slotTaken, "the doctor already has an appointment at that time")
    }
}
