import Foundation
import GRDB

/// Divergence detection and repair (CONTRACT.md §9.6, docs/sync.md "Pull checksums"): the
/// replica's own checksum over the server rows it holds, compared with the one the last page of
/// a pull carries; and the repair pull, which re-reads the differing entities from the beginning
/// without emptying the view, then drops the rows of those entities the server no longer sent.
/// The checksum is kept between syncs and moved row by row as pages are stored
/// (`Replica+Pull`), so a sync that changes little costs little.
extension Replica {
    /// The checksum of the server rows this replica holds, computed from every row.
    public func checksum() throws -> ScopeChecksum {
        try queue.read { db in try Self.fullChecksum(db, cipher) }
    }

    /// How long a kept checksum is trusted before it is computed from every row again: writes
    /// through SQL are noticed at once (`view_version.rows`), damage below SQL only this way.
    static let fullChecksumEvery: TimeInterval = 24 * 3600

    /// The hash of one stored row: its bytes are canonical (`PulledPage`, migration v8), so they
    /// are hashed as they are. A row that no longer opens counts as a row no server sent.
    static func rowHash(_ entity: String, _ id: String, sealed: Data, _ cipher: ReplicaCipher) -> UInt64 {
        guard let json = try? cipher.open(sealed, at: .serverRow(entity: entity, id: id)) else {
            return ScopeChecksum.rowHash(entity: entity, id: id, canonicalRow: Data("unreadable".utf8))
        }
        return ScopeChecksum.rowHash(entity: entity, id: id, canonicalRow: json)
    }

    static func fullChecksum(_ db: Database, _ cipher: ReplicaCipher) throws -> ScopeChecksum {
        var checksum = ScopeChecksum()
        let rows = try Row.fetchCursor(db, sql: "SELECT entity, id, json FROM server_rows")
        while let row = try rows.next() {
            let entity: String = row["entity"], id: String = row["id"]
            checksum.toggle(entity: entity, hash: rowHash(entity, id, sealed: row["json"], cipher))
        }
        return checksum
    }

    /// The kept checksum, when nothing but this code has written the server rows since it was
    /// kept and it was computed from every row less than a day before `now`.
    static func keptChecksum(_ db: Database, _ cipher: ReplicaCipher, now: Date) throws -> ScopeChecksum? {
        guard let rows = try db.state(.checksumRows), try rows == String(rowsVersion(db)),
            let fullAt = try db.state(.checksumFullAt).flatMap(RFC3339.parse),
            now.timeIntervalSince(fullAt) < fullChecksumEvery,
            let hex = try db.state(.checksum, cipher)
        else { return nil }
        return ScopeChecksum(hex: hex)
    }

    /// Keeps `checksum` as right at the server rows as they are now.
    static func keep(_ checksum: ScopeChecksum, _ db: Database, _ cipher: ReplicaCipher, fullAt: Date?) throws {
        try db.setState(.checksum, sealing: checksum.hex, cipher)
        try db.setState(.checksumRows, String(try rowsVersion(db)))
        if let fullAt { try db.setState(.checksumFullAt, RFC3339.format(fullAt)) }
    }

    static func rowsVersion(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT rows FROM view_version") ?? 0
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
        let checksum: ScopeChecksum
        if let kept = try keptChecksum(db, cipher, now: now) {
            checksum = kept
        } else {
            checksum = try fullChecksum(db, cipher)
            try keep(checksum, db, cipher, fullAt: now)
        }
        let differing = checksum.entities(differingFrom: expected)
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
