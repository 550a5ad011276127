import Crypto
import Foundation
import GRDB
import HMSSyncCore

/// A GRDB write transaction as the flows use it (`StoreTransaction`).
struct SQLiteTransaction: StoreTransaction {
    let db: Database

    func inSavepoint(_ body: () throws -> Void) throws {
        var thrown: (any Error)?
        try db.inSavepoint {
            do {
                try body()
                return .commit
            } catch {
                thrown = error
                return .rollback
            }
        }
        if let thrown { throw thrown }
    }

    func appendAudit(_ entry: AuditEntry) throws {
        try SQLiteStore.append(db, entry)
    }

    func recordChange(_ entity: ChangeEntity, id: String, doctorId: String?, patientId: String?, deleted: Bool) throws {
        try db.cachedStatement(sql: "DELETE FROM changes WHERE entity = ? AND entity_id = ?")
            .execute(arguments: [entity.rawValue, id])
        try db.cachedStatement(sql: "INSERT INTO changes (entity, entity_id, doctor_id, patient_id, deleted) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [entity.rawValue, id, doctorId, patientId, deleted])
    }
}
