import Foundation
import HMSSyncCore

extension AuditEntry {
    /// The row of a reminder queued for an appointment: by the admin whose request ran the sweep,
    /// else by the system's automatic sweep.
    static func reminderQueued(_ appointment: Appointment, trail: AuditTrail?, at now: Date) -> AuditEntry {
        if let trail {
            trail.note.markWrittenInTransaction()
            return trail.entry(
                outcome: "success", patientId: appointment.patientId, entityId: appointment.id,
                action: "\(trail.action) queue-reminder", entity: "appointment")
        }
        return AuditEntry(
            id: UUID().uuidString.lowercased(), at: now, actorId: nil, actorRole: "system",
            action: "job no-show queue-reminder", entity: "appointment", entityId: appointment.id,
            patientId: appointment.patientId, outcome: "success", requestId: "no-show-sweep", clientIp: "local")
    }
}
