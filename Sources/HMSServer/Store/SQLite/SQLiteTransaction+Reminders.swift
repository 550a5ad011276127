import Foundation
import GRDB
import HMSSyncCore

// SQLite runs one writer at a time, so a sweep's read and its inserts can't interleave with
// another's; the unique reminder key per appointment still refuses a second row.
extension SQLiteTransaction: ReminderRows {
    func bookedWithoutReminder(startingAfter now: Date, through horizon: Date, limit: Int) throws -> [Appointment] {
        try Row.fetchAll(
            db,
            sql: SQLiteStore.appointmentSelect + """
                 WHERE a.status = ? AND a.start > ? AND a.start <= ?
                  AND NOT EXISTS (SELECT 1 FROM email_outbox e WHERE e.reminder_appointment_id = a.id)
                ORDER BY a.start LIMIT ?
                """,
            arguments: [AppointmentStatus.booked.rawValue, now.epochSeconds, horizon.epochSeconds, limit]
        ).map(SQLiteStore.appointment)
    }

    func queueReminder(_ reminder: NewReminder) throws -> Bool {
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO email_outbox
                    (id, reminder_appointment_id, recipient, subject, body, message_id, next_attempt_at, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                reminder.id, reminder.appointmentId, reminder.recipient, reminder.subject, reminder.body,
                reminder.messageId, reminder.now.epochSeconds, reminder.now.epochSeconds,
            ])
        return db.changesCount == 1
    }
}
