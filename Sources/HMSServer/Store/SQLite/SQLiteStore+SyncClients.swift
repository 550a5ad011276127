import Foundation
import GRDB
import HMSSyncCore

extension SQLiteStore {
    /// Checks the client's owner before anything else of a push or pull (read only when bound).
    func checkClientOwner(clientId: String, userId: String) async throws {
        let owner = try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT user_id FROM sync_clients WHERE id = ?", arguments: [clientId])
        }
        if let owner, owner != userId { throw DomainError(.forbidden, "this clientId belongs to another user") }
    }
}
