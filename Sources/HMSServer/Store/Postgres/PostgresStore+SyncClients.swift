import Foundation
import HMSSyncCore
import HMSWebSupport
import PostgresNIO

extension PostgresStore {
    /// Checks the client's owner before anything else of a push or pull (read only when bound).
    func checkClientOwner(clientId: String, userId: String) async throws {
        let owner = try await read { tx in
            try tx.query("SELECT user_id FROM sync_clients WHERE id = \(clientId)").first?.decode(String.self)
        }
        if let owner, owner != userId { throw DomainError(.forbidden, "this clientId belongs to another user") }
    }
}
