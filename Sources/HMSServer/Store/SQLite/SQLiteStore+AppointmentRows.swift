import Foundation
import GRDB
import HMSSyncCore

extension SQLiteStore {
    /// Appointments joined with the names they show, in the column order `appointment(_:)` reads.
    static let appointmentSelect = """
        SELECT a.id, a.patient_id, a.doctor_id, a.start, a."end", a.status, a.reason, a.diagnosis, a.treatment,
            a.cancel_reason, a.created_at, a.updated_at, d.name, d.specialty, p.name
        FROM appointments a JOIN users d ON d.id = a.doctor_id JOIN users p ON p.id = a.patient_id
        """

    /// A row of `appointmentSelect`, read by position: GRDB finds a column by name with a
    /// case-insensitive search over every column, and a pull page reads 5,000 of these rows.
    static func appointment(_ row: Row) -> Appointment {
        Appointment(
            id: row[0], patientId: row[1], doctorId: row[2],
            start: Date(epochSeconds: row[3]), end: Date(epochSeconds: row[4]),
            status: AppointmentStatus(rawValue: row[5]) ?? .booked,
            reason: row[6], diagnosis: row[7], treatment: row[8], cancelReason: row[9],
            createdAt: Date(epochSeconds: row[10]), updatedAt: Date(epochSeconds: row[11]),
            doctor: .init(id: row[2], name: row[12], specialty: row[13] ?? ""),
            patient: .init(id: row[1], name: row[14])
        )
    }

    static func appointment(_ db: Database, id: String) throws -> Appointment? {
        try Row.fetchOne(db.cachedStatement(sql: appointmentSelect + " WHERE a.id = ?"), arguments: [id]).map(appointment)
    }
}
