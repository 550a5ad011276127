import Foundation
import GRDB

/// The journal of applied intents (CONTRACT.md §9.9): each intent the server applied is kept for
/// 30 days after, so that when a server restored from a backup has lost it, it can be sent again.
extension Replica {
    /// How long an applied intent stays in the journal.
    public static let journalDays = 30
    static var journalLifetime: TimeInterval { TimeInterval(journalDays * 24 * 3600) }

    /// Copies the intent `(clientId, mutationId)` into the journal as applied at `now`.
    static func journalApplied(_ db: Database, _ cipher: ReplicaCipher, clientId: String, mutationId: Int, now: Date) throws {
        guard let row = try Row.fetchOne(
            db, sql: "SELECT seq, name, args, appointment_id, created_at FROM intents WHERE client_id = ? AND mutation_id = ?",
            arguments: [clientId, mutationId])
        else { return }
        let args = try cipher.open(row["args"], at: .intentArgs(seq: row["seq"]))
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO journal (client_id, mutation_id, seq, name, args, appointment_id, created_at, applied_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [clientId, mutationId, row["seq"] as Int64, row["name"] as String,
                        try cipher.seal(args, at: .journal(clientId: clientId, mutationId: mutationId)),
                        row["appointment_id"] as String, row["created_at"] as Int64, Int64(now.timeIntervalSince1970)])
    }

    /// Drops what was applied more than 30 days before `now`.
    static func pruneJournal(_ db: Database, now: Date) throws {
        try db.execute(
            sql: "DELETE FROM journal WHERE applied_at < ?", arguments: [Int64(now.timeIntervalSince1970 - journalLifetime)])
    }

    /// The highest mutation id the server applied for the current client, as the journal saw it.
    func highestJournaledMutationId() throws -> Int {
        try queue.read { db in
            try Int.fetchOne(
                db, sql: "SELECT coalesce(max(mutation_id), 0) FROM journal WHERE client_id = ?",
                arguments: [try db.state(.clientId) ?? ""]) ?? 0
        }
    }

    /// How many journaled intents there are (tests and `status` read it).
    public func journalCount() throws -> Int {
        try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM journal") ?? 0 }
    }

    /// The next pull starts over: its first page replaces the server rows, as a `reset: true`
    /// page does. Asked for when the server has lost work without answering a reset itself.
    func requestReset() throws {
        try queue.write { db in
            try db.setState(.cursor, nil)
            try db.setState(.resetPending, "1")
        }
    }
}
