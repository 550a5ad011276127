import HMSSyncCore
import NIOConcurrencyHelpers

/// What a handler tells the audit trail beyond what the matched route says: the thing it
/// touched, its patient, the patients whose rows a list or pull returned, and, for the calls
/// that carry no token (login, refresh, register), the user they were about. Shared by
/// reference between handler, store and middleware.
final class AuditNote: Sendable {
    private struct Values {
        var entityId: String?
        var patientId: String?
        var actor: Actor?
        var patientsRead: Set<String> = []
        /// Rows the store already wrote inside a write transaction for this request.
        var writtenInTransaction = false
    }

    private let values = NIOLockedValueBox(Values())

    func record(entityId: String?, patientId: String?) {
        values.withLockedValue { $0.entityId = entityId ?? $0.entityId; $0.patientId = patientId ?? $0.patientId }
    }

    /// The user a call without a token acted as (login, refresh) or created (register).
    func record(actor: Actor) {
        values.withLockedValue { $0.actor = actor }
    }

    /// Patients whose records a read returned; the audit trail gets one row per patient.
    func recordRead(patients: some Sequence<String>) {
        values.withLockedValue { $0.patientsRead.formUnion(patients) }
    }

    func markWrittenInTransaction() {
        values.withLockedValue { $0.writtenInTransaction = true }
    }

    var entityId: String? { values.withLockedValue { $0.entityId } }
    var patientId: String? { values.withLockedValue { $0.patientId } }
    var actor: Actor? { values.withLockedValue { $0.actor } }
    var patientsRead: Set<String> { values.withLockedValue { $0.patientsRead } }
    var writtenInTransaction: Bool { values.withLockedValue { $0.writtenInTransaction } }
}
