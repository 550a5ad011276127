import Foundation
import HMSSyncCore

/// The one code path per intent, written once for every backend: lock → idempotency → facts →
/// `BookingRule.decide` (or `Lifecycle.next`) → write → record the change. REST handlers and sync
/// push both run it inside one write transaction, after `IntentRule.authorize`. The locks
/// (`lockAppointment`, `lockWindowsForBooking`) come before the facts they guard, so another
/// server's decision on the same appointment or the same doctor's windows waits for this one.
enum IntentFlow {
    static func book<T: StoreTransaction>(_ tx: T, _ intent: BookIntent, now: Date) throws -> BookingOutcome {
        try tx.lockAppointment(id: intent.appointmentId)
        if let stored = try tx.appointment(id: intent.appointmentId) {
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
        try tx.lockWindowsForBooking(doctorId: intent.doctorId)
        let (doctor, patient) = try tx.parties(doctorId: intent.doctorId, patientId: patientId)
        let near = TimeRange(
            start: intent.start.addingTimeInterval(-BookingRule.factsReach),
            end: intent.start.addingTimeInterval(BookingRule.factsReach))
        let busy = try tx.activeSpans(doctorId: intent.doctorId, patientId: patientId, near: near)
        let facts = BookingFacts(
            doctorExists: doctor?.role == .doctor,
            doctorBlacklisted: doctor?.blacklisted ?? false,
            patientExists: patient?.role == .patient,
            windows: try tx.windows(doctorId: intent.doctorId, overlapping: near),
            doctorBusy: busy.doctor,
            patientBusy: busy.patient,
            now: now
        )
        let slot = try BookingRule.decide(start: intent.start, facts: facts)
        let booked = try tx.insertBooked(intent, patientId: patientId, slot: slot, now: now)
        try tx.recordChange(.appointment, id: booked.id, doctorId: booked.doctorId, patientId: booked.patientId, row: booked)
        try BusyFlow.put(tx, appointmentId: booked.id, doctorId: booked.doctorId, patientId: booked.patientId, slot: booked.slot)
        return .created(booked)
    }

    static func cancel<T: StoreTransaction>(_ tx: T, _ intent: CancelIntent, actor: Actor, now: Date) throws -> Appointment {
        try tx.lockAppointment(id: intent.appointmentId)
        let stored = try visible(tx, id: intent.appointmentId, actor: actor)
        _ = try Lifecycle.next(from: stored.status, on: .cancel, slot: stored.slot, now: now)
        try tx.setCancelled(id: stored.id, reason: intent.reason, now: now)
        try BusyFlow.end(tx, appointmentId: stored.id, doctorId: stored.doctorId, patientId: stored.patientId)
        return try changed(tx, stored)
    }

    static func complete<T: StoreTransaction>(_ tx: T, _ intent: CompleteIntent, actor: Actor, now: Date) throws -> Appointment {
        try tx.lockAppointment(id: intent.appointmentId)
        let stored = try visible(tx, id: intent.appointmentId, actor: actor)
        _ = try Lifecycle.next(from: stored.status, on: .complete, slot: stored.slot, now: now)
        try tx.setCompleted(id: stored.id, diagnosis: intent.diagnosis, treatment: intent.treatment, now: now)
        return try changed(tx, stored)
    }

    /// Moves a booked appointment (CONTRACT.md §9.8): the old one cancelled with reason
    /// `rescheduled`, the new one booked under every booking rule, in the caller's one
    /// transaction, so a refused booking (thrown) leaves the old appointment as it was. Both ids
    /// are locked before anything about them is read.
    static func reschedule<T: StoreTransaction>(_ tx: T, _ intent: RescheduleIntent, actor: Actor, now: Date) throws
        -> BookingOutcome
    {
        try tx.lockAppointment(id: intent.appointmentId)
        let old = try visible(tx, id: intent.appointmentId, actor: actor)
        try tx.lockAppointment(id: intent.newAppointmentId)
        let booking = intent.booking(replacing: old)
        // a re-send of a move that happened answers its stored result, before the old
        // appointment's (by then cancelled) state is judged
        if let stored = try tx.appointment(id: booking.appointmentId),
            BookingRule.isSameBooking(
                booking, storedDoctorId: stored.doctorId, storedPatientId: stored.patientId,
                storedStart: stored.start, storedReason: stored.reason)
        {
            return .existing(stored)
        }
        _ = try Lifecycle.next(from: old.status, on: .cancel, slot: old.slot, now: now)
        try tx.setCancelled(id: old.id, reason: RescheduleIntent.cancelReason, now: now)
        try BusyFlow.end(tx, appointmentId: old.id, doctorId: old.doctorId, patientId: old.patientId)
        _ = try changed(tx, old)
        return try book(tx, booking, now: now)
    }

    /// Runs any intent for `actor`: the sync push door to the same paths the REST endpoints use.
    /// Answers the appointment it left (a reschedule's new one, of the same patient).
    @discardableResult
    static func apply<T: StoreTransaction>(_ tx: T, _ intent: Intent, actor: Actor, now: Date) throws -> Appointment {
        switch intent {
        case .book(let book):
            try self.book(tx, try IntentRule.authorize(book, by: actor), now: now).appointment
        case .cancel(let cancel):
            try self.cancel(tx, try IntentRule.authorize(cancel, by: actor), actor: actor, now: now)
        case .complete(let complete):
            try self.complete(tx, try IntentRule.authorize(complete, by: actor), actor: actor, now: now)
        case .reschedule(let reschedule):
            try self.reschedule(tx, try IntentRule.authorize(reschedule, by: actor), actor: actor, now: now).appointment
        }
    }

    /// The appointment if `actor` may see it, else `NOT_FOUND` (never 403: existence stays hidden).
    static func visible<T: AppointmentRows>(_ tx: T, id: String, actor: Actor) throws -> Appointment {
        guard let found = try tx.appointment(id: id),
            IntentRule.canSee(patientId: found.patientId, doctorId: found.doctorId, actor: actor)
        else { throw DomainError.notFound("appointment") }
        return found
    }

    /// Records the change of an updated appointment and answers its new state. Its busy row
    /// changes only on booking and cancel (`BusyFlow`) and at the slot's end, so completion and
    /// no-show, which come after the start, never show through busy rows (CONTRACT.md §9.1).
    static func changed<T: StoreTransaction>(_ tx: T, _ stored: Appointment) throws -> Appointment {
        let now = try self.stored(tx, stored.id)
        try tx.recordChange(.appointment, id: now.id, doctorId: now.doctorId, patientId: now.patientId, row: now)
        return now
    }

    private static func stored<T: AppointmentRows>(_ tx: T, _ id: String) throws -> Appointment {
        guard let appointment = try tx.appointment(id: id) else { throw DomainError.notFound("appointment") }
        return appointment
    }
}
