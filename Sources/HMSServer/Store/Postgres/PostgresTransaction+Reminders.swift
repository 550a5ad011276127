import Foundation
import HMSSyncCore
import PostgresNIO

/// The reminder job's rows. Several servers sweep at once: each claims its appointments
/// `FOR UPDATE SKIP LOCKED`, and the unique reminder key per appointment (`ON CONFLICT DO
/// NOTHING`) keeps one that is read twice anyway from getting two reminders.
extension PostgresTransaction: ReminderRows {
    /// Claims the rows: one another sweep (or an intent, `lockAppointment`) holds is passed by, and
    /// what this sweep claims stays `BOOKED` until it commits.
    func bookedWithoutReminder(startingAfter now: Date, through horizon: Date, limit: Int) throws -> [Appointment] {
        try query(
            """
            \(unescaped: Appointment.postgresSelect)
            WHERE a.status = \(AppointmentStatus.booked.rawValue) AND a.start > \(now.epochSeconds)
              AND a.start <= \(horizon.epochSeconds)
              AND NOT EXISTS (SELECT 1 FROM email_outbox e WHERE e.reminder_appointment_id = a.id)
            ORDER BY a.start LIMIT \(limit)
            FOR UPDATE OF a SKIP LOCKED
            """
        ).map(Appointment.init(postgresRow:))
    }

    func queueReminder(_ reminder: NewReminder) throws -> Bool {
        try execute(
            """
            INSERT INTO email_outbox
                (id, reminder_appointment_id, recipient, subject, body, message_id, next_attempt_at, created_at)
            VALUES (\(reminder.id), \(reminder.appointmentId), \(reminder.recipient), \(reminder.subject),
                    \(reminder.body), \(reminder.messageId), \(reminder.now.epochSeconds), \(reminder.now.epochSeconds))
            ON CONFLICT DO NOTHING
            """) == 1
    }
}
