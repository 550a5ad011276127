import Foundation
import HMSSyncCore
import GRDB

extension SQLiteTransaction {
    /// Moves `entity` `id` to the end of the change order with the hash of its row as a pull
    /// sends it now, and moves the scope sums (`ScopeSums`) from its old hash to the new one.
    func recordChange(
        _ entity: ChangeEntity, id: String, doctorId: String?, patientId: String?, deleted: Bool, row: (any CanonicalRow)?
    ) throws {
        let previous = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT hash, doctor_id, patient_id FROM changes WHERE entity = ? AND entity_id = ?"),
            arguments: [entity.rawValue, id])
        let hash = try deleted ? nil : row.map { ScopeSums.rowHash(entity, id: id, row: $0) } ?? SQLiteStore.rowHash(db, entity, id: id)
        try db.cachedStatement(sql: "DELETE FROM changes WHERE entity = ? AND entity_id = ?")
            .execute(arguments: [entity.rawValue, id])
        try db.cachedStatement(
            sql: "INSERT INTO changes (entity, entity_id, doctor_id, patient_id, deleted, hash) VALUES (?, ?, ?, ?, ?, ?)"
        ).execute(arguments: [entity.rawValue, id, doctorId, patientId, deleted, hash])
        if let previous, let old = previous["hash"] as Int64? {
            try SQLiteStore.toggleSums(db, ScopeSums.keys(entity, doctorId: previous["doctor_id"], patientId: previous["patient_id"]), by: old)
        }
        if let hash {
            try SQLiteStore.toggleSums(db, ScopeSums.keys(entity, doctorId: doctorId, patientId: patientId), by: hash)
        }
    }
}

extension SQLiteStore {
    /// The hash of `entity` `id` as a pull would send it, or nil when a pull would send it as
    /// deleted. Busy rows are hashed whatever the time: their deletes are recorded (`BusyFlow`).
    static func rowHash(_ db: Database, _ entity: ChangeEntity, id: String) throws -> Int64? {
        guard let row = try rows(db, entity: entity, ids: [id], now: .distantPast)[id] else { return nil }
        return ScopeSums.rowHash(entity, id: id, row: row)
    }

    /// XORs `hash` into each of `keys`' sums. SQLite has no XOR operator: `(a | b) - (a & b)` is
    /// `a ^ b`, and on 64-bit two's complement it never overflows (when the sign bits differ the
    /// result's is set; when they agree, both operands have the same sign).
    static func toggleSums(_ db: Database, _ keys: [ScopeSums.Key], by hash: Int64) throws {
        let toggle = try db.cachedStatement(sql: """
            INSERT INTO scope_sums (entity, owner_kind, owner, sum) VALUES (?, ?, ?, ?)
            ON CONFLICT (entity, owner_kind, owner) DO UPDATE SET sum = (sum | excluded.sum) - (sum & excluded.sum)
            """)
        for key in keys {
            try toggle.execute(arguments: [key.entity.rawValue, key.ownerKind.rawValue, key.owner, hash])
        }
    }

    /// `actor`'s scope checksum as the kept sums give it, inside the caller's transaction.
    static func scopeChecksum(_ db: Database, of actor: Actor) throws -> ScopeChecksum {
        let read = try db.cachedStatement(sql: "SELECT sum FROM scope_sums WHERE entity = ? AND owner_kind = ? AND owner = ?")
        var sums: [ScopeSums.Key: Int64] = [:]
        for key in ScopeSums.parts(of: actor).values.joined() {
            sums[key] = try Int64.fetchOne(read, arguments: [key.entity.rawValue, key.ownerKind.rawValue, key.owner])
        }
        return ScopeSums.checksum(of: actor, sums: sums)
    }

    /// Migration `v10-scope-checksums`: the hash of every row the change order holds, and the
    /// sums over them, as `recordChange` keeps them from now on.
    static func migrateScopeChecksums(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE changes ADD COLUMN hash INTEGER;
            -- XOR of the row hashes of each entity, over everyone and per doctor and per patient
            CREATE TABLE scope_sums (
                entity TEXT NOT NULL,
                owner_kind TEXT NOT NULL,
                owner TEXT NOT NULL,
                sum INTEGER NOT NULL,
                PRIMARY KEY (entity, owner_kind, owner)
            ) WITHOUT ROWID;
            """)
        let live = try Row.fetchAll(db, sql: "SELECT entity, entity_id, doctor_id, patient_id FROM changes WHERE deleted = 0")
        let setHash = try db.makeStatement(sql: "UPDATE changes SET hash = ? WHERE entity = ? AND entity_id = ?")
        var sums: [ScopeSums.Key: Int64] = [:]
        for (entityName, changes) in Dictionary(grouping: live, by: { $0["entity"] as String }) {
            guard let entity = ChangeEntity(rawValue: entityName) else { continue }
            for chunk in stride(from: 0, to: changes.count, by: 500).map({ changes[$0..<min($0 + 500, changes.count)] }) {
                let present = try rows(db, entity: entity, ids: chunk.map { $0["entity_id"] }, now: .distantPast)
                for change in chunk {
                    let id: String = change["entity_id"]
                    guard let row = present[id] else { continue }
                    let hash = ScopeSums.rowHash(entity, id: id, row: row)
                    try setHash.execute(arguments: [hash, entityName, id])
                    for key in ScopeSums.keys(entity, doctorId: change["doctor_id"], patientId: change["patient_id"]) {
                        sums[key, default: 0] ^= hash
                    }
                }
            }
        }
        let insert = try db.makeStatement(sql: "INSERT INTO scope_sums (entity, owner_kind, owner, sum) VALUES (?, ?, ?, ?)")
        for (key, sum) in sums { try insert.execute(arguments: [key.entity.rawValue, key.ownerKind.rawValue, key.owner, sum]) }
    }
}
