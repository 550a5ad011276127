import Foundation
import HMSSyncCore
import PostgresNIO

/// The no-show sweep's rows. Several servers sweep at once: each claims its overdue rows
/// `FOR UPDATE SKIP LOCKED`, and the unique penalty per appointment and email per penalty
/// (`ON CONFLICT DO NOTHING`) keep a row that is swept twice anyway from leaving two of either.
extension PostgresTransaction: NoShowRows {
    /// Claims the rows: a row another sweep (or an intent, `lockAppointment`) holds is passed by,
    /// and what this sweep claims no other decision changes before it commits.
    func overdueBooked(endedBy cutoff: Date, limit: Int) throws -> [Appointment] {
        try query(
            """
            \(unescaped: Appointment.postgresSelect)
            WHERE a.status = \(AppointmentStatus.booked.rawValue) AND a."end" <= \(cutoff.epochSeconds)
            ORDER BY a."end" LIMIT \(limit)
            FOR UPDATE OF a SKIP LOCKED
            """
        ).map(Appointment.init(postgresRow:))
    }

    func markNoShow(id: String, now: Date) throws -> Bool {
        try execute(
            """
            UPDATE appointments SET status = \(AppointmentStatus.noShow.rawValue), updated_at = \(now.epochSeconds)
            WHERE id = \(id) AND status = \(AppointmentStatus.booked.rawValue)
            """) == 1
    }

    func insertPenalty(id: String, for appointment: Appointment, now: Date) throws -> Bool {
        try execute(
            """
            INSERT INTO penalties (id, patient_id, appointment_id, doctor_id, reason, created_at)
            VALUES (\(id), \(appointment.patientId), \(appointment.id), \(appointment.doctorId), \(Penalty.noShowReason),
                    \(now.epochSeconds))
            ON CONFLICT DO NOTHING
            """) == 1
    }

    func queueEmail(_ email: NewEmail) throws -> Bool {
        try execute(
            """
            INSERT INTO email_outbox (id, penalty_id, recipient, subject, body, message_id, next_attempt_at, created_at)
            VALUES (\(email.id), \(email.penaltyId), \(email.recipient), \(email.subject), \(email.body), \(email.messageId),
                    \(email.now.epochSeconds), \(email.now.epochSeconds))
            ON CONFLICT DO NOTHING
            """) == 1
    }
}
