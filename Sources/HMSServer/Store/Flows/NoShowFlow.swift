import Foundation
import HMSSyncCore

/// One batch of the no-show sweep, written once for every backend: each overdue `BOOKED`
/// appointment is marked `NO_SHOW` with one penalty and one queued email, and an audit row (the
/// admin whose request ran it, else the system). The state check, the unique penalty per
/// appointment and the unique email per penalty make reruns, crashes half way and concurrent
/// sweeps on several servers harmless.
enum NoShowFlow {
    static func sweepBatch<T: StoreTransaction>(
        _ tx: T, now: Date, grace: TimeInterval, mail: EscalationMail, batch: Int, trail: AuditTrail?
    ) throws -> NoShowSweepResult {
        var result = NoShowSweepResult()
        for booked in try tx.overdueBooked(endedBy: now.addingTimeInterval(-grace), limit: batch) {
            _ = try Lifecycle.next(from: booked.status, on: .markNoShow, slot: booked.slot, now: now, noShowGrace: grace)
            guard try tx.markNoShow(id: booked.id, now: now) else { continue }
            result.markedNoShow += 1
            try tx.appendAudit(AuditEntry.noShow(booked, trail: trail, at: now))
            try tx.recordChange(.appointment, id: booked.id, doctorId: booked.doctorId, patientId: booked.patientId)

            let penaltyId = RandomID.make()
            guard try tx.insertPenalty(id: penaltyId, for: booked, now: now) else { continue }
            result.penaltiesCreated += 1
            try tx.recordChange(.penalty, id: penaltyId, doctorId: booked.doctorId, patientId: booked.patientId)

            guard let patient = try tx.user(id: booked.patientId) else { continue }
            let queued = try tx.queueEmail(NewEmail(
                id: RandomID.make(), penaltyId: penaltyId, recipient: patient.email,
                subject: mail.subject(), body: mail.body(patientName: patient.name, doctorName: booked.doctor.name, start: booked.start),
                messageId: mail.messageId(penaltyId: penaltyId), now: now))
            if queued { result.emailsQueued += 1 }
        }
        return result
    }
}
