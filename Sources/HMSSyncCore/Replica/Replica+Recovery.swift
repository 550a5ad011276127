import Foundation
import GRDB

/// Getting back the work a server restored from a backup has lost (CONTRACT.md §9.9).
extension Replica {
    /// After a complete pull from the restored server: every journaled intent whose effect the
    /// server's rows no longer show is recorded again as pending, in its first order, and the
    /// outbox is renumbered under a new client id from 1. Judging by the rows, and not by
    /// mutation ids, also finds intents sent under an earlier client id, and never sends again
    /// what the server still has; final states stay final, so a row past `BOOKED` proves a
    /// cancel or a completion happened. One transaction.
    /// - Returns: how many intents were recorded again.
    func recoverLostIntents(now: Date) throws -> Int {
        try queue.write { db in
            let journaled = try Row.fetchAll(
                db, sql: "SELECT client_id, mutation_id, seq, name, args, appointment_id, created_at FROM journal ORDER BY seq")
            var recovered = 0
            for row in journaled {
                let clientId: String = row["client_id"], mutationId: Int = row["mutation_id"], seq: Int64 = row["seq"]
                let args = try cipher.open(row["args"], at: .journal(clientId: clientId, mutationId: mutationId))
                guard let intent = try? IntentArgs.intent(name: row["name"], args: try Self.json(args)),
                    try isLost(intent, db)
                else { continue }
                if try Bool.fetchOne(db, sql: "SELECT 1 FROM intents WHERE seq = ?", arguments: [seq]) == true {
                    try db.execute(sql: "UPDATE intents SET state = 'pending' WHERE seq = ?", arguments: [seq])
                } else {
                    // numbered for real by `renumberPending` below; unique meanwhile
                    try db.execute(
                        sql: """
                            INSERT INTO intents (seq, client_id, mutation_id, name, args, appointment_id, state, created_at)
                            VALUES (?, '', ?, ?, ?, ?, 'pending', ?)
                            """,
                        arguments: [seq, -seq, row["name"] as String, try cipher.seal(args, at: .intentArgs(seq: seq)),
                                    row["appointment_id"] as String, row["created_at"] as Int64])
                }
                try db.execute(
                    sql: "DELETE FROM journal WHERE client_id = ? AND mutation_id = ?", arguments: [clientId, mutationId])
                recovered += 1
            }
            guard recovered > 0 else { return 0 }
            try Self.renumberPending(db)
            try db.setState(.recovered, String((Int(try db.state(.recovered) ?? "0") ?? 0) + recovered))
            try db.setState(.lastRecoveryAt, RFC3339.format(now))
            return recovered
        }
    }

    /// Whether the server's rows lack the effect of `intent`.
    private func isLost(_ intent: Intent, _ db: Database) throws -> Bool {
        func appointment(_ id: String) throws -> Appointment? {
            try db.serverRow(Appointment.self, entity: "appointment", id: id.lowercased(), cipher)
        }
        switch intent {
        case .book(let book):
            return try appointment(book.appointmentId) == nil
        case .cancel(let cancel):
            return try appointment(cancel.appointmentId).map { $0.status == .booked } ?? true
        case .complete(let complete):
            return try appointment(complete.appointmentId).map { $0.status == .booked } ?? true
        case .reschedule(let reschedule):
            return try appointment(reschedule.newAppointmentId) == nil
        }
    }
}
