import HMSSyncCore

/// The change order sync pulls read (docs/sync.md).
protocol ChangeRows {
    /// Moves `entity`/`id` to the end of the change order. Only the newest change of a thing is
    /// kept: a pull sends its present state once. Positions are given in commit order. The
    /// change keeps the hash of the thing's row for the pull checksums (`ScopeSums`): `row` is
    /// that row as a pull sends it, when the caller holds it; nil reads it again.
    func recordChange(
        _ entity: ChangeEntity, id: String, doctorId: String?, patientId: String?, deleted: Bool, row: (any CanonicalRow)?
    ) throws

    /// Takes, for the rest of the transaction, the lock `recordChange` takes anyway, before the
    /// transaction writes anything: a push of several intents would otherwise hold a row another
    /// writer's constraint check waits for while it waits for the lock that writer holds.
    func lockChangeOrder() throws
}

extension ChangeRows {
    func recordChange(_ entity: ChangeEntity, id: String, doctorId: String? = nil, patientId: String? = nil) throws {
        try recordChange(entity, id: id, doctorId: doctorId, patientId: patientId, deleted: false, row: nil)
    }

    func recordChange(_ entity: ChangeEntity, id: String, doctorId: String?, patientId: String?, deleted: Bool) throws {
        try recordChange(entity, id: id, doctorId: doctorId, patientId: patientId, deleted: deleted, row: nil)
    }

    func recordChange(_ entity: ChangeEntity, id: String, doctorId: String?, patientId: String?, row: any CanonicalRow) throws {
        try recordChange(entity, id: id, doctorId: doctorId, patientId: patientId, deleted: false, row: row)
    }
}
