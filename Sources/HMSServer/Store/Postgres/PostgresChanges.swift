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
enum PostgresChanges {
    /// The advisory lock that orders change seqs ("HMSCHNGS" in ASCII).
    static let lockKey: Int64 = 0x484D_5343_484E_4753
}

extension PostgresTransaction: ChangeRows {
    /// Records that `entity` `id` changed (or was deleted): takes the changes lock, drops the
    /// entity's previous row and inserts one at the end of the order with the next seq.
    func recordChange(
        _ entity: ChangeEntity, id: String, doctorId: String? = nil, patientId: String? = nil, deleted: Bool = false
    ) throws {
        try advisoryLock(PostgresChanges.lockKey)
        try execute("DELETE FROM changes WHERE entity = \(entity.rawValue) AND entity_id = \(id)")
        try execute(
            """
            INSERT INTO changes (seq, entity, entity_id, doctor_id, patient_id, deleted)
            VALUES (nextval('changes_seq'), \(entity.rawValue), \(id), \(doctorId), \(patientId), \(deleted))
            """)
    }
}
