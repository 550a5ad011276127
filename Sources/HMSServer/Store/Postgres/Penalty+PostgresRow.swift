import Foundation
import PostgresNIO

extension Penalty {
    /// The `penalties` columns ``init(postgresRow:)`` reads, in its order.
    static let postgresColumns = "id, patient_id, appointment_id, doctor_id, reason, created_at"

    /// A row selected with ``postgresColumns``.
    init(postgresRow row: PostgresRow) throws {
        let (id, patientId, appointmentId, doctorId, reason, createdAt) = try row.decode(
            (String, String, String, String, String, Int64).self)
        self.init(
            id: id, patientId: patientId, appointmentId: appointmentId, doctorId: doctorId, reason: reason,
            createdAt: Date(epochSeconds: createdAt))
    }
}
