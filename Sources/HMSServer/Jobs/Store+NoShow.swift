import Foundation
import GRDB
import HMSSyncCore

/// What the escalation email says; no clinical text.
struct EscalationMail: Sendable {
    let clinicName: String
    let domain: String

    func subject() -> String { "Missed appointment at \(clinicName)" }

    func body(patientName: String, doctorName: String, start: Date) -> String {
        """
        Dear \(patientName),

        You did not attend your appointment with \(doctorName) at \(RFC3339.format(start)) (UTC) \
        and it was recorded as a no-show. A penalty has been added to your account.

        If this is a mistake, please contact \(clinicName).
        """
    }

    /// Stable per penalty, so a resend after a crash can be recognized as the same message.
    func messageId(penaltyId: String) -> String { "<penalty-\(penaltyId)@\(domain)>" }
}

extension Store {
    /// Marks overdue booked appointments `NO_SHOW`, each with one penalty and one queued email,
    /// in transactions of at most `batch` appointments. The state check, the unique penalty per
    /// appointment and the unique email per penalty make reruns, crashes half way and concurrent
    /// sweeps harmless.
    func sweepNoShows(now: Date, grace: TimeInterval, mail: EscalationMail, batch: Int = 200) async throws -> NoShowSweepResult {
        var total = NoShowSweepResult()
        let trail = AuditTrail.current
        while true {
            let round = try await pool.write { db in
                try Self.sweepBatch(db, now: now, grace: grace, mail: mail, batch: batch, trail: trail)
            }
            total = total + round
            if round.markedNoShow < batch { return total }
        }
    }

    /// One batch; each appointment marked leaves an audit row in the batch's transaction, as the
    /// admin who ran the sweep or, for the automatic sweep, as the system.
    private static func sweepBatch(
        _ db: Database, now: Date, grace: TimeInterval, mail: EscalationMail, batch: Int, trail: AuditTrail?
    ) throws -> NoShowSweepResult {
        var result = NoShowSweepResult()
        let overdue = try Row.fetchAll(
            db,
            sql: appointmentSelect + " WHERE a.status = 'BOOKED' AND a.\"end\" <= ? ORDER BY a.\"end\" LIMIT ?",
            arguments: [now.addingTimeInterval(-grace).epochSeconds, batch]
        ).map(appointment)
        for booked in overdue {
            let status = try Lifecycle.next(from: booked.status, on: .markNoShow, slot: booked.slot, now: now, noShowGrace: grace)
            try db.execute(
                sql: "UPDATE appointments SET status = ?, updated_at = ? WHERE id = ? AND status = 'BOOKED'",
                arguments: [status.rawValue, now.epochSeconds, booked.id])
            guard db.changesCount == 1 else { continue }
            result.markedNoShow += 1
            try append(db, AuditEntry.noShow(booked, trail: trail, at: now))
            try recordAppointmentChange(db, id: booked.id, doctorId: booked.doctorId, patientId: booked.patientId)

            let penaltyId = UUID().uuidString.lowercased()
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO penalties (id, patient_id, appointment_id, doctor_id, reason, created_at)
                    VALUES (?, ?, ?, ?, 'NO_SHOW', ?)
                    """,
                arguments: [penaltyId, booked.patientId, booked.id, booked.doctorId, now.epochSeconds])
            guard db.changesCount == 1 else { continue }
            result.penaltiesCreated += 1
            try recordChange(db, .penalty, id: penaltyId, doctorId: booked.doctorId, patientId: booked.patientId)

            guard let patient = try user(db, id: booked.patientId) else { continue }
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO email_outbox
                        (id, penalty_id, recipient, subject, body, message_id, next_attempt_at, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    UUID().uuidString.lowercased(), penaltyId, patient.email, mail.subject(),
                    mail.body(patientName: patient.name, doctorName: booked.doctor.name, start: booked.start),
                    mail.messageId(penaltyId: penaltyId), now.epochSeconds, now.epochSeconds,
                ])
            result.emailsQueued += db.changesCount
        }
        return result
    }
}
