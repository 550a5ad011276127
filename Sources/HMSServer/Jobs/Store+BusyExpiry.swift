import Foundation
import GRDB

extension Store {
    /// Records one busy delete for each busy row whose slot has ended by `now` and whose delete
    /// is not recorded yet (CONTRACT.md §9.1), in transactions of at most `batch` rows. The
    /// `ended` flag, set in the same transaction as the delete, makes reruns and concurrent
    /// servers harmless.
    /// - Returns: how many deletes this call recorded.
    @discardableResult
    func expireBusy(now: Date, batch: Int = 500) async throws -> Int {
        var total = 0
        while true {
            let (found, ended) = try await pool.write { db in try Self.expireBusyBatch(db, now: now, batch: batch) }
            total += ended
            if found < batch { return total }
        }
    }

    private static func expireBusyBatch(_ db: Database, now: Date, batch: Int) throws -> (found: Int, ended: Int) {
        let due = try Row.fetchAll(
            db.cachedStatement(sql: """
                SELECT b.id, a.doctor_id, a.patient_id FROM busy b JOIN appointments a ON a.id = b.appointment_id
                WHERE b.ended = 0 AND b."end" <= ? ORDER BY b."end" LIMIT ?
                """),
            arguments: [now.epochSeconds, batch])
        var ended = 0
        for row in due {
            if try endBusy(db, id: row["id"], doctorId: row["doctor_id"], patientId: row["patient_id"]) { ended += 1 }
        }
        return (due.count, ended)
    }
}
