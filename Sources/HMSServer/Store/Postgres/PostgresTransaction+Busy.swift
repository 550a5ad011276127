import Crypto
import Foundation
import HMSSyncCore
import PostgresNIO

extension PostgresTransaction: BusyRows {
    /// Read once per transaction: a push of 500 bookings needs it 500 times, and it never
    /// changes once the migration has made it.
    func busyKey() throws -> SymmetricKey {
        if let key = cachedBusyKey { return key }
        let text = try query("SELECT value FROM meta WHERE key = \(BusyId.metaKey)").first?.decode(String.self)
        guard let key = text.flatMap(BusyId.key(hex:)) else {
            throw DomainError(.internal, "the busy-row key is missing from the database")
        }
        cachedBusyKey = key
        return key
    }

    func insertBusy(id: String, appointmentId: String, end: Date) throws {
        try execute("INSERT INTO busy (id, appointment_id, \"end\") VALUES (\(id), \(appointmentId), \(end.epochSeconds))")
    }

    func liveBusyId(appointmentId: String) throws -> String? {
        try query("SELECT id FROM busy WHERE appointment_id = \(appointmentId) AND NOT ended").first?.decode(String.self)
    }

    /// A concurrent writer that ended the row first holds its lock until it commits; this update
    /// then finds `ended` set and changes nothing, so the delete is recorded once.
    func endBusy(id: String) throws -> Bool {
        try execute("UPDATE busy SET ended = true WHERE id = \(id) AND NOT ended") == 1
    }

    /// Claims the due rows `FOR UPDATE SKIP LOCKED`: an expiry job on another server passes them
    /// by, so no two jobs wait on or record the same row.
    func dueBusy(endedBy now: Date, limit: Int) throws -> [DueBusy] {
        try query(
            """
            SELECT b.id, a.doctor_id, a.patient_id FROM busy b JOIN appointments a ON a.id = b.appointment_id
            WHERE NOT b.ended AND b."end" <= \(now.epochSeconds) ORDER BY b."end" LIMIT \(limit)
            FOR UPDATE OF b SKIP LOCKED
            """
        ).map { row in
            let (id, doctorId, patientId) = try row.decode((String, String, String).self)
            return DueBusy(id: id, doctorId: doctorId, patientId: patientId)
        }
    }
}
