/// The change order sync pulls read (docs/sync.md).
protocol ChangeRows {
    /// Moves `entity`/`id` to the end of the change order. Only the newest change of a thing is
    /// kept: a pull sends its present state once. Positions are given in commit order.
    func recordChange(_ entity: ChangeEntity, id: String, doctorId: String?, patientId: String?, deleted: Bool) throws
}

extension ChangeRows {
    func recordChange(_ entity: ChangeEntity, id: String, doctorId: String? = nil, patientId: String? = nil) throws {
        try recordChange(entity, id: id, doctorId: doctorId, patientId: patientId, deleted: false)
    }
}
