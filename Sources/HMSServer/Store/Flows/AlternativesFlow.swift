import Foundation
import HMSSyncCore

/// The slots a `SLOT_TAKEN` refusal offers (CONTRACT.md §9.2), gathered once for every backend
/// and judged by `AlternativeSlots`. It runs after the refused intent's own work was rolled back
/// (its savepoint, or its transaction), so the facts are those of the database as it stands; a
/// rescheduled appointment is then still active, and `replacing` frees its slot in the rule.
enum AlternativesFlow {
    /// The refusal, with `details.alternatives` when it is `SLOT_TAKEN`; any other refusal as it is.
    static func refusal<T: AppointmentRows>(_ refusal: DomainError, _ tx: T, for intent: Intent, actor: Actor, now: Date) throws
        -> DomainError
    {
        guard refusal.code == .slotTaken, let wanted = try wantedSlot(tx, intent, actor: actor) else { return refusal }
        let range = AlternativeSlots.factsRange(from: wanted.start)
        return refusal.offering(AlternativeSlots.find(
            from: wanted.start, windows: try tx.windows(doctorId: wanted.doctorId, overlapping: range),
            doctorBusy: try tx.activeSpans(of: .doctor, id: wanted.doctorId, near: range),
            patientBusy: try tx.activeSpans(of: .patient, id: wanted.patientId, near: range),
            now: now, replacing: wanted.replacing))
    }

    /// Who wanted which start, and the slot a reschedule gives up. Ids in their checked form
    /// only: the refused intent is the sender's text.
    private static func wantedSlot<T: AppointmentRows>(_ tx: T, _ intent: Intent, actor: Actor) throws
        -> (doctorId: String, patientId: String, start: Date, replacing: TimeRange?)?
    {
        switch intent {
        case .book(let book):
            guard let checked = try? IntentRule.authorize(book, by: actor), let patientId = checked.patientId else { return nil }
            return (checked.doctorId, patientId, checked.start, nil)
        case .reschedule(let reschedule):
            guard let checked = try? IntentRule.authorize(reschedule, by: actor),
                let old = try tx.appointment(id: checked.appointmentId)
            else { return nil }
            return (old.doctorId, old.patientId, checked.start, old.status.isActive ? old.slot : nil)
        case .cancel, .complete:
            return nil
        }
    }
}
