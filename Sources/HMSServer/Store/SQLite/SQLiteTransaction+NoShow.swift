import Foundation
import GRDB
import HMSSyncCore

extension SQLiteTransaction {
    func overdueBooked(endedBy cutoff: Date, limit: Int) throws -> [Appointment] {
        try Row.fetchAll(
            db,
            sql: SQLiteStore.appointmentSelect + " WHERE a.status = ? AND a.\"end\" <= ? ORDER BY a.\"end\" LIMIT ?",
            arguments: [AppointmentStatus.booked.rawValue, cutoff.epochSeconds, limit]
        ).map(SQLiteStore.appointment)
    }

    func markNoShow(id: String, now: Date) throws -> Bool {
        try db.execute(
            sql: "UPDATE appointments SET status = ?, updated_at = ? WHERE id = ? AND status = ?",
            arguments: [AppointmentStatus.noShow.rawValue, now.epochSeconds, id, AppointmentStatus.booked.rawValue])
        return db.changesCount == 1
    }

    func insertPenalty(id: String, for appointment: Appointment, now: Date) throws -> Bool {
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO penalties (id, patient_id, appointment_id, doctor_id, reason, created_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [id, appointment.patientId, appointment.id, appointment.doctorId, Penalty.noShowReason, now.epochSeconds])
        return db.changesCount == 1
    }

    func queueEmail(_ email: NewEmail) throws -> Bool {
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO email_outbox
                    (id, penalty_id, recipient, subject, body, message_id, next_attempt_at, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                email.id, email.penaltyId, email.recipient, email.subject, email.body, email.messageId,
                email.now.epochSeconds, email.now.epochSeconds,
            ])
        return db.changesCount == 1
    }
}
