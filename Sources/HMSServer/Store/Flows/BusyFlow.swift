import Foundation
import HMSSyncCore

/// Busy rows (CONTRACT.md §9.1): the time an active appointment holds, under an id derived from
/// the appointment's. A busy change is recorded only when the row itself changes: put on
/// booking, delete on cancel or once the slot has ended, never on completion or no-show.
enum BusyFlow {
    /// Records the busy row of a new booking and its put change, inside the booking's transaction.
    static func put<T: StoreTransaction>(_ tx: T, appointmentId: String, doctorId: String, patientId: String, slot: TimeRange) throws {
        let id = BusyId.derive(appointmentId: appointmentId, key: try tx.busyKey())
        try tx.insertBusy(id: id, appointmentId: appointmentId, end: slot.end)
        try tx.recordChange(
            .busy, id: id, doctorId: doctorId, patientId: patientId,
            row: BusyRow(id: id, doctorId: doctorId, start: slot.start, end: slot.end))
    }

    /// Ends the busy row of an appointment (cancelled) and records its delete, once.
    static func end<T: StoreTransaction>(_ tx: T, appointmentId: String, doctorId: String, patientId: String) throws {
        guard let id = try tx.liveBusyId(appointmentId: appointmentId) else { return }
        _ = try end(tx, id: id, doctorId: doctorId, patientId: patientId)
    }

    /// Ends the busy row `id` and records its delete, unless another writer ended it first.
    static func end<T: StoreTransaction>(_ tx: T, id: String, doctorId: String, patientId: String) throws -> Bool {
        guard try tx.endBusy(id: id) else { return false }
        try tx.recordChange(.busy, id: id, doctorId: doctorId, patientId: patientId, deleted: true)
        return true
    }

    /// One batch of the expiry job: records the delete of each busy row whose slot has ended.
    /// The `ended` flag, set in the same transaction as the delete, makes reruns and concurrent
    /// servers harmless.
    static func expireBatch<T: StoreTransaction>(_ tx: T, now: Date, batch: Int) throws -> (found: Int, ended: Int) {
        let due = try tx.dueBusy(endedBy: now, limit: batch)
        var ended = 0
        for row in due where try end(tx, id: row.id, doctorId: row.doctorId, patientId: row.patientId) {
            ended += 1
        }
        return (due.count, ended)
    }
}
