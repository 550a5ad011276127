/// Two active appointments of one doctor, or of one patient, never overlap (CONTRACT.md §4).
public enum OverlapRule {
    /// The refusal of a slot that overlaps one of the doctor's active appointments.
    public static let slotTaken = DomainError(.slotTaken, "the doctor already has an appointment at that time")
    /// The refusal of a slot that overlaps one of the patient's active appointments.
    public static let patientBusy = DomainError(.patientBusy, "the patient already has an appointment at that time")

    /// `SLOT_TAKEN` first, then `PATIENT_BUSY`; the arguments are the active appointments' spans.
    public static func check(
        _ slot: TimeRange,
        doctorBusy: [TimeRange],
        patientBusy: [TimeRange]
    ) throws(DomainError) {
        if doctorBusy.contains(where: { $0.overlaps(slot) }) { throw slotTaken }
        if patientBusy.contains(where: { $0.overlaps(slot) }) { throw self.patientBusy }
    }
}
