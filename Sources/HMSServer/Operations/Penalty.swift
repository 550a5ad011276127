import Foundation

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
