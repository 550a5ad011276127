import Foundation
import HMSSyncCore

extension TransactionalStore where Transaction: ReminderRows {
    /// Queues the reminders now due, in transactions of at most `batch` (`ReminderFlow`);
    /// answers how many this call queued.
    func queueReminders(now: Date, lead: TimeInterval, mail: ReminderMail, batch: Int) async throws -> Int {
        let trail = AuditTrail.current
        var total = 0
        while true {
            let round = try await transaction { tx in
                try ReminderFlow.queueBatch(tx, now: now, lead: lead, mail: mail, batch: batch, trail: trail)
            }
            total += round.queued
            // a short batch was the last; a full one that queued nothing met another server's
            // work in flight, which that server finishes
            if round.found < batch || round.queued == 0 { return total }
        }
    }
}
