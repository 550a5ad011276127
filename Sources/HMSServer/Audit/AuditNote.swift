import NIOConcurrencyHelpers

/// What a handler tells the audit trail about the thing it touched (the appointment's id and
/// patient), beyond what the path says. Shared by reference between handler and middleware.
final class AuditNote: Sendable {
    private let values = NIOLockedValueBox<(entityId: String?, patientId: String?)>((nil, nil))

    func record(entityId: String?, patientId: String?) {
        values.withLockedValue { $0 = (entityId ?? $0.entityId, patientId ?? $0.patientId) }
    }

    var entityId: String? { values.withLockedValue { $0.entityId } }
    var patientId: String? { values.withLockedValue { $0.patientId } }
}
