import GRDB
import HMSSyncCore

extension Store {
    /// How many of a client's newest handled mutations keep their stored result: twice the
    /// largest push. A client sends its pending intents from the lowest, at most
    /// `maxMutationsPerPush` at a time, so the server's `lastMutationId` is never that far above
    /// any id an honest client retries; only a replica restored from an old backup can send a
    /// pruned id, and it is answered `MUTATION_MISMATCH` (docs/sync.md, "Bounded results").
    static let keptResults = 2 * SyncProtocol.maxMutationsPerPush

    /// Drops the stored results of `clientId` more than `keptResults` below `last`, inside the
    /// push's transaction, so `sync_mutations` holds at most `keptResults` rows per client.
    static func pruneResults(_ db: Database, clientId: String, last: Int) throws {
        guard last > keptResults else { return }
        try db.cachedStatement(sql: "DELETE FROM sync_mutations WHERE client_id = ? AND mutation_id <= ?")
            .execute(arguments: [clientId, last - keptResults])
    }
}
