import Crypto
import Foundation
import GRDB

/// Busy rows (CONTRACT.md §9.1): the time an active appointment holds, under an id derived
/// from the appointment's. One `busy` row per appointment records its derived id and end; a
/// busy change is recorded only when the row itself changes: put on booking, delete on cancel
/// or once the slot has ended (`expireBusy`), never on completion or no-show.
extension Store {
    /// Records the busy row of a new booking and its put change, inside the booking's transaction.
    static func putBusy(_ db: Database, appointmentId: String, doctorId: String, patientId: String, end: Date) throws {
        let id = BusyId.derive(appointmentId: appointmentId, key: try busyKey(db))
        try db.cachedStatement(sql: "INSERT INTO busy (id, appointment_id, \"end\") VALUES (?, ?, ?)")
            .execute(arguments: [id, appointmentId, end.epochSeconds])
        try recordChange(db, .busy, id: id, doctorId: doctorId, patientId: patientId)
    }

    /// Ends the busy row of an appointment (cancelled, or its slot over) and records its delete,
    /// once: a row already ended records nothing.
    static func endBusy(_ db: Database, appointmentId: String, doctorId: String, patientId: String) throws {
        guard let id = try String.fetchOne(
            db.cachedStatement(sql: "SELECT id FROM busy WHERE appointment_id = ? AND ended = 0"), arguments: [appointmentId])
        else { return }
        try endBusy(db, id: id, doctorId: doctorId, patientId: patientId)
    }

    /// Ends the busy row `id` and records its delete, unless another writer ended it first.
    /// - Returns: whether this call ended it.
    @discardableResult
    static func endBusy(_ db: Database, id: String, doctorId: String, patientId: String) throws -> Bool {
        try db.cachedStatement(sql: "UPDATE busy SET ended = 1 WHERE id = ? AND ended = 0").execute(arguments: [id])
        guard db.changesCount == 1 else { return false }
        try recordChange(db, .busy, id: id, doctorId: doctorId, patientId: patientId, deleted: true)
        return true
    }

    /// The secret busy ids are derived under, made once by migration `v7-busy-privacy`.
    static func busyKey(_ db: Database) throws -> SymmetricKey {
        let text = try String.fetchOne(
            db.cachedStatement(sql: "SELECT value FROM meta WHERE key = ?"), arguments: [BusyId.metaKey])
        guard let key = text.flatMap(BusyId.key(hex:)) else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "the busy-row key is missing from meta")
        }
        return key
    }
}
