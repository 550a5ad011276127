import Foundation
import HMSSyncCore
import PostgresNIO

extension Appointment {
    /// Appointments joined with the names they show, in the order ``init(postgresRow:)`` reads.
    static let postgresSelect = postgresSelect(from: "appointments")

    /// The same over `table`, a table or a `WITH` name of appointment rows (a constant, never caller text).
    static func postgresSelect(from table: String) -> String {
        """
        SELECT a.id, a.patient_id, a.doctor_id, a.start, a."end", a.status, a.reason, a.diagnosis, a.treatment,
               a.cancel_reason, a.created_at, a.updated_at, d.name, d.specialty, p.name
        FROM \(table) a JOIN users d ON d.id = a.doctor_id JOIN users p ON p.id = a.patient_id
        """
    }

    /// A row selected with ``postgresSelect``.
    init(postgresRow row: PostgresRow) throws {
        let (
            id, patientId, doctorId, start, end, status, reason, diagnosis, treatment, cancelReason, createdAt, updatedAt,
            doctorName, doctorSpecialty, patientName
        ) = try row.decode(
            (String, String, String, Int64, Int64, String, String?, String?, String?, String?, Int64, Int64, String,
             String?, String).self)
        self.init(
            id: id, patientId: patientId, doctorId: doctorId,
            start: Date(epochSeconds: start), end: Date(epochSeconds: end),
            status: AppointmentStatus(rawValue: status) ?? .booked,
            reason: reason, diagnosis: diagnosis, treatment: treatment, cancelReason: cancelReason,
            createdAt: Date(epochSeconds: createdAt), updatedAt: Date(epochSeconds: updatedAt),
            doctor: .init(id: doctorId, name: doctorName, specialty: doctorSpecialty ?? ""),
            patient: .init(id: patientId, name: patientName))
    }
}
