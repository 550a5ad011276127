import Foundation
import HMSSyncCore
import PostgresNIO

/// The change order for sync pulls on PostgreSQL (docs/sync.md).
///
/// A sequence alone is not commit order: a writer may draw seq 7, another seq 8 and commit first,
/// and a pull that reads 8 moves its cursor past 7 before 7 is visible. So every writer takes the
/// transaction-scoped advisory lock ``lockKey`` right before it draws its seq and holds it until
/// it commits or rolls back. Whoever draws seq n+1 therefore draws it after the transaction
/// that drew n has ended: committed (and visible to every snapshot taken after n+1 is visible)
/// or rolled back (a gap no transaction fills). A pull that sees a seq has thus already seen,
/// or will never need, every lower one. `changes.seq` has no default, so no writer can draw a
/// seq without the lock; writers record their changes last, to keep the lock held briefly.
/// The same lock orders the writers of the scope sums (`ScopeSums`).
enum PostgresChanges {
    /// The advisory lock that orders change seqs ("HMSCHNGS" in ASCII).
    static let lockKey: Int64 = 0x484D_5343_484E_4753
}

extension PostgresTransaction: ChangeRows {
    /// Records that `entity` `id` changed (or was deleted): takes the changes lock, drops the
    /// entity's previous row and inserts one at the end of the order with the next seq and the
    /// hash of the row as a pull sends it now, and moves the scope sums from the old hash to the
    /// new. One statement, so one round trip: the insert reads `previous` (its count), so the
    /// delete is done before the row that replaces it goes in, and the sums are grouped by key,
    /// because one upsert may touch a row once. The keys are those of `ScopeSums.keys`: the sum
    /// over all, over the doctor and over the patient, for the old owners and the new.
    func recordChange(
        _ entity: ChangeEntity, id: String, doctorId: String?, patientId: String?, deleted: Bool, row: (any CanonicalRow)?
    ) throws {
        let hash = try deleted ? nil : row.map { ScopeSums.rowHash(entity, id: id, row: $0) } ?? rowHash(entity, id: id)
        try lockChangeOrder()
        let (all, doctor, patient) = (ScopeSums.OwnerKind.all.rawValue, ScopeSums.OwnerKind.doctor.rawValue, ScopeSums.OwnerKind.patient.rawValue)
        try execute(
            """
            WITH previous AS (
                DELETE FROM changes WHERE entity = \(entity.rawValue) AND entity_id = \(id)
                RETURNING hash, doctor_id, patient_id
            ), recorded AS (
                INSERT INTO changes (seq, entity, entity_id, doctor_id, patient_id, deleted, hash)
                SELECT nextval('changes_seq'), \(entity.rawValue), \(id), \(doctorId), \(patientId), \(deleted), \(hash)
                FROM (SELECT count(*) FROM previous) AS after_the_delete
            ), moved (hash, doctor_id, patient_id) AS (
                SELECT hash, doctor_id, patient_id FROM previous
                UNION ALL SELECT \(hash)::bigint, \(doctorId)::text, \(patientId)::text
            )
            INSERT INTO scope_sums (entity, owner_kind, owner, sum)
            SELECT \(entity.rawValue), key.kind, key.owner, bit_xor(moved.hash)
            FROM moved CROSS JOIN LATERAL (
                VALUES (\(all)::text, ''), (\(doctor)::text, moved.doctor_id), (\(patient)::text, moved.patient_id)
            ) AS key (kind, owner)
            WHERE moved.hash IS NOT NULL AND key.owner IS NOT NULL
            GROUP BY key.kind, key.owner
            ON CONFLICT (entity, owner_kind, owner) DO UPDATE SET sum = scope_sums.sum # EXCLUDED.sum
            """)
    }

    /// Takes the change-order lock unless this transaction holds it already (see
    /// `PostgresTransaction.holdsChangeOrder`), so a push of 500 intents asks for it once.
    func lockChangeOrder() throws {
        guard !holdsChangeOrder else { return }
        try advisoryLock(PostgresChanges.lockKey)
        tookChangeOrder()
    }

    /// The hash of `entity` `id` as a pull would send it, or nil when a pull would send it as
    /// deleted. Busy rows are hashed whatever the time: their deletes are recorded (`BusyFlow`).
    func rowHash(_ entity: ChangeEntity, id: String) throws -> Int64? {
        guard let row = try presentRows(of: entity, ids: [id], now: .distantPast)[id] else { return nil }
        return ScopeSums.rowHash(entity, id: id, row: row)
    }

    /// XORs `hash` into each of `keys`' sums (`#` is PostgreSQL's XOR).
    func toggleSums(_ keys: [ScopeSums.Key], by hash: Int64) throws {
        for key in keys {
            try execute(
                """
                INSERT INTO scope_sums (entity, owner_kind, owner, sum)
                VALUES (\(key.entity.rawValue), \(key.ownerKind.rawValue), \(key.owner), \(hash))
                ON CONFLICT (entity, owner_kind, owner) DO UPDATE SET sum = scope_sums.sum # EXCLUDED.sum
                """)
        }
    }

    /// `actor`'s scope checksum as the kept sums give it, on this transaction's snapshot.
    func scopeChecksum(of actor: Actor) throws -> ScopeChecksum {
        var sums: [ScopeSums.Key: Int64] = [:]
        for key in ScopeSums.parts(of: actor).values.joined() {
            sums[key] = try query(
                """
                SELECT sum FROM scope_sums
                WHERE entity = \(key.entity.rawValue) AND owner_kind = \(key.ownerKind.rawValue) AND owner = \(key.owner)
                """
            ).first?.decode(Int64.self)
        }
        return ScopeSums.checksum(of: actor, sums: sums)
    }

    /// Migration `v4-scope-checksums`: the hash of every row the change order holds, and the
    /// sums over them, as `recordChange` keeps them from now on.
    func migrateScopeChecksums() throws {
        try execute("ALTER TABLE changes ADD COLUMN hash BIGINT")
        try execute(
            """
            CREATE TABLE scope_sums (
                entity TEXT NOT NULL, owner_kind TEXT NOT NULL, owner TEXT NOT NULL, sum BIGINT NOT NULL,
                PRIMARY KEY (entity, owner_kind, owner)
            )
            """)
        let live = try query("SELECT entity, entity_id, doctor_id, patient_id FROM changes WHERE NOT deleted")
            .map { try $0.decode((String, String, String?, String?).self) }
        var sums: [ScopeSums.Key: Int64] = [:]
        for (entityName, changes) in Dictionary(grouping: live, by: \.0) {
            guard let entity = ChangeEntity(rawValue: entityName) else { continue }
            for start in stride(from: 0, to: changes.count, by: 500) {
                let chunk = changes[start..<min(start + 500, changes.count)]
                let present = try presentRows(of: entity, ids: chunk.map(\.1), now: .distantPast)
                for change in chunk {
                    guard let row = present[change.1] else { continue }
                    let hash = ScopeSums.rowHash(entity, id: change.1, row: row)
                    try execute("UPDATE changes SET hash = \(hash) WHERE entity = \(entityName) AND entity_id = \(change.1)")
                    for key in ScopeSums.keys(entity, doctorId: change.2, patientId: change.3) { sums[key, default: 0] ^= hash }
                }
            }
        }
        for (key, sum) in sums {
            try execute(
                """
                INSERT INTO scope_sums (entity, owner_kind, owner, sum)
                VALUES (\(key.entity.rawValue), \(key.ownerKind.rawValue), \(key.owner), \(sum))
                """)
        }
    }
}
