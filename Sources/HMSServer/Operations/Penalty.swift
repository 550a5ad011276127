import Foundation
import HMSSyncCore

/// A penalty for a no-show: `{id, patientId, appointmentId, doctorId, reason, createdAt}`.
struct Penalty: Codable, Sendable, Equatable {
    let id: String
    let patientId: String
    let appointmentId: String
    let doctorId: String
    let reason: String
    let createdAt: Date
}

extension Penalty {
    /// The reason of the penalty a no-show leaves.
    static let noShowReason = "NO_SHOW"
}

extension Penalty: CanonicalRow {
    func write(to writer: inout CanonicalWriter) {
        writer.openObject()
        writer.key("appointmentId"); writer.string(appointmentId)
        writer.key("createdAt"); writer.date(createdAt)
        writer.key("doctorId"); writer.string(doctorId)
        writer.key("id"); writer.string(id)
        writer.key("patientId"); writer.string(patientId)
        writer.key("reason"); writer.string(reason)
        writer.closeObject()
    }
}
