import Crypto
import Foundation
import GRDB

extension SQLiteTransaction {
    func busyKey() throws -> SymmetricKey {
        let text = try String.fetchOne(
            db.cachedStatement(sql: "SELECT value FROM meta WHERE key = ?"), arguments: [BusyId.metaKey])
        guard let key = text.flatMap(BusyId.key(hex:)) else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "the busy-row key is missing from meta")
        }
        return key
    }

    func insertBusy(id: String, appointmentId: String, end: Date) throws {
        try db.cachedStatement(sql: "INSERT INTO busy (id, appointment_id, \"end\") VALUES (?, ?, ?)")
            .execute(arguments: [id, appointmentId, end.epochSeconds])
    }

    func liveBusyId(appointmentId: String) throws -> String? {
        try String.fetchOne(
            db.cachedStatement(sql: "SELECT id FROM busy WHERE appointment_id = ? AND ended = 0"), arguments: [appointmentId])
    }

    func endBusy(id: String) throws -> Bool {
        try db.cachedStatement(sql: "UPDATE busy SET ended = 1 WHERE id = ? AND ended = 0").execute(arguments: [id])
        return db.changesCount == 1
    }

    func dueBusy(endedBy now: Date, limit: Int) throws -> [DueBusy] {
        try Row.fetchAll(
            db.cachedStatement(sql: """
                SELECT b.id, a.doctor_id, a.patient_id FROM busy b JOIN appointments a ON a.id = b.appointment_id
                WHERE b.ended = 0 AND b."end" <= ? ORDER BY b."end" LIMIT ?
                """),
            arguments: [now.epochSeconds, limit]
        ).map { DueBusy(id: $0["id"], doctorId: $0["doctor_id"], patientId: $0["patient_id"]) }
    }
}
