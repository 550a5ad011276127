import Foundation
import GRDB
import HMSSyncCore

extension SQLiteStore {
    /// Appointments joined with the names they show.
    static let appointmentSelect = """
        SELECT a.*, d.name AS doctor_name, d.specialty AS doctor_specialty, p.name AS patient_name
        FROM appointments a JOIN users d ON d.id = a.doctor_id JOIN users p ON p.id = a.patient_id
        """

    static func appointment(_ row: Row) -> Appointment {
        Appointment(
            id: row["id"], patientId: row["patient_id"], doctorId: row["doctor_id"],
            start: Date(epochSeconds: row["start"]), end: Date(epochSeconds: row["end"]),
            status: AppointmentStatus(rawValue: row["status"]) ?? .booked,
            reason: row["reason"], diagnosis: row["diagnosis"], treatment: row["treatment"],
            cancelReason: row["cancel_reason"],
            createdAt: Date(epochSeconds: row["created_at"]), updatedAt: Date(epochSeconds: row["updated_at"]),
            doctor: .init(id: row["doctor_id"], name: row["doctor_name"], specialty: row["doctor_specialty"] ?? ""),
            patient: .init(id: row["patient_id"], name: row["patient_name"])
        )
    }

    static func appointment(_ db: Database, id: String) throws -> Appointment? {
        try Row.fetchOne(db.cachedStatement(sql: appointmentSelect + " WHERE a.id = ?"), arguments: [id]).map(appointment)
    }
}
