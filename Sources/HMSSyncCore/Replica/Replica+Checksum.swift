import Foundation
import GRDB

/// Divergence detection and repair (CONTRACT.md §9.6, docs/sync.md "Pull checksums"): the
/// replica's own checksum over the server rows it holds, compared with the one the last page of
/// a pull carries; and the repair pull, which re-reads the differing entities from the beginning
/// without emptying the view, then drops the rows of those entities the server no longer sent.
extension Replica {
    /// The checksum of the server rows this replica holds.
    public func checksum() throws -> ScopeChecksum {
        try queue.read { db in try Self.checksum(db, cipher) }
    }

    static func checksum(_ db: Database, _ cipher: ReplicaCipher) throws -> ScopeChecksum {
        var checksum = ScopeChecksum()
        let decoder = JSONDecoder()
        let rows = try Row.fetchCursor(db, sql: "SELECT entity, id, json FROM server_rows")
        while let row = try rows.next() {
            let entity: String = row["entity"], id: String = row["id"]
            // a row that no longer opens or reads counts as a row no server sent
            let value = (try? cipher.open(row["json"], at: .serverRow(entity: entity, id: id)))
                .flatMap { try? decoder.decode(JSONValue.self, from: $0) } ?? .string("unreadable")
            checksum.toggle(entity: entity, hash: ScopeChecksum.rowHash(entity: entity, id: id, row: value))
        }
        return checksum
    }

    /// Starts a repair pull of `entities`: the next pull starts from the beginning, and the rows
    /// of those entities are kept meanwhile, so the view stays whole.
    func beginRepair(of entities: [String]) throws {
        try queue.write { db in
            try db.execute(sql: "DELETE FROM repair_seen")
            try db.setState(.repairEntities, entities.joined(separator: ","))
            try db.setState(.cursor, nil)
        }
    }

    /// Inside a page's transaction: notes the rows of a repair under way that the page puts.
    static func noteRepairedRows(_ db: Database, _ page: PulledPage) throws {
        guard let entities = try db.state(.repairEntities).map({ Set($0.split(separator: ",").map(String.init)) }) else { return }
        let seen = try db.cachedStatement(sql: "INSERT OR IGNORE INTO repair_seen (entity, id) VALUES (?, ?)")
        for row in page.rows where row.json != nil && entities.contains(row.entity) {
            try seen.execute(arguments: [row.entity, row.id])
        }
    }

    /// Inside the last page's transaction: ends a repair under way (its entities' rows the pull did
    /// not send are dropped), and compares the replica's checksum with `expected` (a server that
    /// sends none is not compared with).
    /// - Returns: the entities that still differ, and those of a repair that ended here.
    static func verify(_ db: Database, _ cipher: ReplicaCipher, expected: ScopeChecksum?, now: Date) throws
        -> (differing: [String], repaired: [String])
    {
        var repaired: [String] = []
        if let entities = try db.state(.repairEntities) {
            repaired = entities.split(separator: ",").map(String.init)
            for entity in repaired {
                try db.execute(
                    sql: """
                        DELETE FROM server_rows WHERE entity = ?
                        AND id NOT IN (SELECT id FROM repair_seen WHERE entity = ?)
                        """,
                    arguments: [entity, entity])
            }
            try dropRepair(db)
        }
        guard let expected else { return ([], repaired) }
        let differing = try checksum(db, cipher).entities(differingFrom: expected)
        if !repaired.isEmpty && differing.isEmpty {
            try db.setState(.repairs, String((Int(try db.state(.repairs) ?? "0") ?? 0) + 1))
            try db.setState(.lastRepairAt, RFC3339.format(now))
        }
        return (differing, repaired)
    }

    /// Drops a repair under way (a reset replaces every server row anyway).
    static func dropRepair(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM repair_seen")
        try db.setState(.repairEntities, nil)
    }
}
