import Foundation

extension LocalView {
    /// The slots a `SLOT_TAKEN` of `intent` offers (CONTRACT.md §9.2), from this replica's rows.
    func alternatives(for intent: Intent, now: Date) throws -> [TimeRange] {
        let doctorId: String, patientId: String, start: Date, replacing: TimeRange?
        switch intent {
        case .book(let book):
            let checked = try IntentRule.authorize(book, by: actor)
            (doctorId, patientId, start, replacing) = (checked.doctorId, checked.patientId ?? actor.userId, checked.start, nil)
        case .reschedule(let reschedule):
            let checked = try IntentRule.authorize(reschedule, by: actor)
            let old = try visible(checked.appointmentId)
            (doctorId, patientId, start) = (old.doctorId, old.patientId, checked.start)
            replacing = old.status.isActive ? old.slot : nil
        case .cancel, .complete:
            return []
        }
        let range = AlternativeSlots.factsRange(from: start)
        return AlternativeSlots.find(
            from: start, windows: try windows(doctorId: doctorId, near: range),
            doctorBusy: try busy(column: "doctor_id", id: doctorId, near: range),
            patientBusy: try busy(column: "patient_id", id: patientId, near: range), now: now, replacing: replacing)
    }
}
