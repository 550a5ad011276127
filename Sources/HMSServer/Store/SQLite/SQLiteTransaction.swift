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
}
