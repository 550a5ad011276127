import Foundation

/// One audit row: `{id, at, actorId, actorRole, action, entity, entityId, patientId, outcome,
/// requestId, clientIp}`. Never clinical text.
struct AuditEntry: Codable, Sendable, Equatable {
    let id: String
    let at: Date
    let actorId: String?
    let actorRole: String?
    let action: String
    let entity: String
    let entityId: String?
    let patientId: String?
    let outcome: String
    let requestId: String
    let clientIp: String

    private enum CodingKeys: String, CodingKey {
        case id, at, actorId, actorRole, action, entity, entityId, patientId, outcome, requestId, clientIp
    }

    /// Absent values are written as `null`, so every row shows every key.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(at, forKey: .at)
        try container.encode(actorId, forKey: .actorId)
        try container.encode(actorRole, forKey: .actorRole)
        try container.encode(action, forKey: .action)
        try container.encode(entity, forKey: .entity)
        try container.encode(entityId, forKey: .entityId)
        try container.encode(patientId, forKey: .patientId)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(requestId, forKey: .requestId)
        try container.encode(clientIp, forKey: .clientIp)
    }
}

/// The filters of `GET /v1/admin/audit`.
struct AuditFilter: Sendable {
    var from: Date?
    var to: Date?
    var actorId: String?
    var patientId: String?
}
