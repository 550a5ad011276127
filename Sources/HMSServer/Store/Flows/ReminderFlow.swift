import Foundation
import HMSSyncCore

/// One batch of reminders (CONTRACT.md §9.4), written once for every backend: each `BOOKED`
/// appointment starting within the lead gets one reminder to its patient in the mail outbox, and
/// an audit row (the admin whose request ran it, else the system). The outbox's unique key per
/// appointment makes reruns, restarts and sweeps on several servers at once queue it only once.
enum ReminderFlow {
    /// Answers how many appointments the batch read and how many reminders it queued.
    static func queueBatch<T: StoreTransaction & ReminderRows>(
        _ tx: T, now: Date, lead: TimeInterval, mail: ReminderMail, batch: Int, trail: AuditTrail?
    ) throws -> (found: Int, queued: Int) {
        let due = try tx.bookedWithoutReminder(startingAfter: now, through: now.addingTimeInterval(lead), limit: batch)
        var queued = 0
        for booked in due {
            guard let patient = try tx.user(id: booked.patientId) else { continue }
            let isNew = try tx.queueReminder(NewReminder(
                id: RandomID.make(), appointmentId: booked.id, recipient: patient.email,
                subject: mail.subject(),
                body: mail.body(patientName: patient.name, doctorName: booked.doctor.name, start: booked.start),
                messageId: mail.messageId(appointmentId: booked.id), now: now))
            guard isNew else { continue }
            queued += 1
            try tx.appendAudit(AuditEntry.reminderQueued(booked, trail: trail, at: now))
        }
        return (due.count, queued)
    }
}
