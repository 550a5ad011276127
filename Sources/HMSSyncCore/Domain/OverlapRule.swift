/// Two active appointments of one doctor, or of one patient, never overlap (CONTRACT.md §4).
public enum OverlapRule {
    /// `SLOT_TAKEN` first, then `PATIENT_BUSY`; the arguments are the active appointments' spans.
    public static func check(
        _ slot: TimeRange,
        doctorBusy: [TimeRange],
        patientBusy: [TimeRange]
    ) throws(DomainError) {
        if doctorBusy.contains(where: { $0.overlaps(slot) }) {
            throw DomainError(.slotTaken, "the doctor already has an appointment at that time")
        }
        if patientBusy.contains(where: { $0.overlaps(slot) }) {
            throw DomainError(.patientBusy, "the patient already has an appointment at that time")
        }
    }
}
