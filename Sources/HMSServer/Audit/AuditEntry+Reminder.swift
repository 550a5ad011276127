import Foundation
import HMSSyncCore

extension AuditEntry {
    /// The row of a reminder queued for an appointment (a step of the no-show sweep).
    static func reminderQueued(_ appointment: Appointment, trail: AuditTrail?, at now: Date) -> AuditEntry {
        sweepStep("queue-reminder", appointment, trail: trail, at: now)
    }
}
