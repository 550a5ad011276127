import GRDB

/// The things a pull sends, by the name the sync protocol gives them.
enum ChangeEntity: String {
    case doctor, patient, availability, appointment, penalty
    /// A doctor's time held by an active appointment, under a derived id (`BusyId`) and without
    /// patient data; recorded by `putBusy` and `endBusy` only.
    case busy
}

extension Store {
    /// Moves `entity`/`id` to the end of the change order, inside the caller's write transaction.
    /// Only the newest change of a thing is kept: a pull sends its present state once.
    static func recordChange(
        _ db: Database, _ entity: ChangeEntity, id: String, doctorId: String? = nil, patientId: String? = nil,
        deleted: Bool = false
    ) throws {
        try db.cachedStatement(sql: "DELETE FROM changes WHERE entity = ? AND entity_id = ?")
            .execute(arguments: [entity.rawValue, id])
        try db.cachedStatement(sql: "INSERT INTO changes (entity, entity_id, doctor_id, patient_id, deleted) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [entity.rawValue, id, doctorId, patientId, deleted])
    }
}
