import Foundation
import GRDB

extension Replica {
    /// Records an intent: checked against the local view with the device's clock, written to
    /// the outbox in one transaction, and answered as the view now shows the appointment.
    /// A broken rule is thrown as `ReplicaError.refused` and nothing is recorded.
    public func record(_ intent: Intent, now: Date) throws -> Appointment {
        try queue.write { db in
            guard let session = try Self.session(db, cipher) else { throw ReplicaError.loginNeeded("sign in first") }
            var view = try LocalView(db, actor: session.actor, cipher: cipher)
            let shown: Appointment
            do {
                shown = try view.apply(intent, now: now)
            } catch let error as DomainError where error.code == .slotTaken {
                throw ReplicaError.refused(error.offering(try view.alternatives(for: intent, now: now)))
            } catch let error as DomainError {
                throw ReplicaError.refused(error)
            }
            let clientId = try db.state(.clientId) ?? ""
            let mutationId = Int(try db.state(.nextMutationId) ?? "1") ?? 1
            var stored = intent
            if case .book(var book) = intent {
                // the view decided the id and patient; the server must see the same
                book.appointmentId = shown.id
                if session.user.role == .admin { book.patientId = shown.patientId } else { book.patientId = nil }
                stored = .book(book)
            }
            let args = try RFC3339.makeEncoder().encode(IntentArgs.args(of: stored))
            // the seq AUTOINCREMENT would give, chosen up front: the sealed args are bound to it
            let seq = try Int64.fetchOne(db, sql: """
                SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'intents'), 0),
                           coalesce((SELECT max(seq) FROM intents), 0)) + 1
                """) ?? 1
            try db.execute(
                sql: """
                    INSERT INTO intents (seq, client_id, mutation_id, name, args, appointment_id, state, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, 'pending', ?)
                    """,
                arguments: [seq, clientId, mutationId, stored.name, try cipher.seal(args, at: .intentArgs(seq: seq)), shown.id,
                            Int64(now.timeIntervalSince1970)])
            try db.setState(.nextMutationId, String(mutationId + 1))
            try view.keep()
            return shown
        }
    }

    /// The intents not yet handled by the server, in order.
    public func outbox() throws -> [OutboxItem] {
        try queue.read { db in
            try Row.fetchAll(
                db, sql: "SELECT seq, mutation_id, name, args, created_at FROM intents WHERE state = 'pending' ORDER BY seq"
            ).map { row in
                OutboxItem(
                    mutationId: row["mutation_id"], name: row["name"],
                    args: try Self.json(try cipher.open(row["args"], at: .intentArgs(seq: row["seq"]))),
                    createdAt: Date(timeIntervalSince1970: TimeInterval(row["created_at"] as Int64)))
            }
        }
    }

    /// The intents the server refused, newest last.
    public func rejections() throws -> [Rejection] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM rejections ORDER BY rejected_at, mutation_id").map { row in
                let clientId: String = row["client_id"], mutationId: Int = row["mutation_id"]
                return Rejection(
                    mutationId: mutationId, name: row["name"],
                    args: try Self.json(
                        try cipher.open(row["args"], at: .rejection(.args, clientId: clientId, mutationId: mutationId))),
                    code: row["code"],
                    message: try cipher.openText(
                        row["message"], at: .rejection(.message, clientId: clientId, mutationId: mutationId)),
                    rejectedAt: Date(timeIntervalSince1970: TimeInterval(row["rejected_at"] as Int64)),
                    alternatives: try (row["alternatives"] as Data?).map { sealed in
                        try RFC3339.makeDecoder().decode(
                            [AlternativeSlot].self,
                            from: try cipher.open(sealed, at: .rejection(.alternatives, clientId: clientId, mutationId: mutationId)))
                    } ?? [])
            }
        }
    }

    /// The next push: this client's id and up to `limit` pending intents as mutations.
    func pushBatch(limit: Int) throws -> (clientId: String, mutations: [Mutation]) {
        try queue.read { db in
            let clientId = try db.state(.clientId) ?? ""
            let mutations = try Row.fetchAll(
                db,
                sql: """
                    SELECT seq, mutation_id, name, args, created_at FROM intents
                    WHERE state = 'pending' AND client_id = ? ORDER BY mutation_id LIMIT ?
                    """,
                arguments: [clientId, limit]
            ).map { row in
                Mutation(
                    id: row["mutation_id"], name: row["name"],
                    args: try Self.json(try cipher.open(row["args"], at: .intentArgs(seq: row["seq"]))),
                    clientTime: Date(timeIntervalSince1970: TimeInterval(row["created_at"] as Int64)))
            }
            return (clientId, mutations)
        }
    }

    /// Takes a push answer: applied intents stay in the replay as 'applied'; rejected ones move
    /// to the rejections list. One transaction.
    func take(_ response: PushResponse, clientId: String, now: Date) throws -> (applied: Int, rejected: Int) {
        try queue.write { db in
            var applied = 0
            var rejected = 0
            for result in response.results {
                switch result.status {
                case .applied:
                    try db.execute(
                        sql: "UPDATE intents SET state = 'applied' WHERE client_id = ? AND mutation_id = ? AND state = 'pending'",
                        arguments: [clientId, result.id])
                    if db.changesCount > 0 {
                        applied += 1
                        try Self.journalApplied(db, cipher, clientId: clientId, mutationId: result.id, now: now)
                    }
                case .rejected:
                    if let intent = try Row.fetchOne(
                        db, sql: "SELECT seq, name, args FROM intents WHERE client_id = ? AND mutation_id = ? AND state = 'pending'",
                        arguments: [clientId, result.id])
                    {
                        // sealed again at the rejection's place: a seal opens only where it was made
                        let args = try cipher.open(intent["args"], at: .intentArgs(seq: intent["seq"]))
                        try db.execute(
                            sql: """
                                INSERT OR IGNORE INTO rejections (client_id, mutation_id, name, args, code, message, rejected_at, alternatives)
                                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                                """,
                            arguments: [
                                clientId, result.id, intent["name"] as String,
                                try cipher.seal(args, at: .rejection(.args, clientId: clientId, mutationId: result.id)),
                                result.code ?? "REJECTED",
                                try cipher.seal(result.message ?? "", at: .rejection(.message, clientId: clientId, mutationId: result.id)),
                                Int64(now.timeIntervalSince1970),
                                try result.details?[AlternativeSlots.detailKey]?.slots.map { slots in
                                    try cipher.seal(
                                        try RFC3339.makeEncoder().encode(slots),
                                        at: .rejection(.alternatives, clientId: clientId, mutationId: result.id))
                                },
                            ])
                    }
                    try db.execute(
                        sql: "DELETE FROM intents WHERE client_id = ? AND mutation_id = ? AND state = 'pending'",
                        arguments: [clientId, result.id])
                    rejected += db.changesCount
                }
            }
            try Self.pruneJournal(db, now: now)
            return (applied, rejected)
        }
    }

    /// After `MUTATION_GAP` or `MUTATION_MISMATCH`: a new clientId, and the pending intents
    /// numbered again from 1 in their order. Nothing pending is dropped.
    func startNewClient() throws {
        try queue.write { db in try Self.renumberPending(db) }
    }

    static func renumberPending(_ db: Database) throws {
        let clientId = RandomID.make()
        let pending = try Int64.fetchAll(db, sql: "SELECT seq FROM intents WHERE state = 'pending' ORDER BY seq")
        for (index, seq) in pending.enumerated() {
            try db.execute(
                sql: "UPDATE intents SET client_id = ?, mutation_id = ? WHERE seq = ?",
                arguments: [clientId, index + 1, seq])
        }
        try db.setState(.clientId, clientId)
        try db.setState(.nextMutationId, String(pending.count + 1))
    }

    static func json(_ data: Data) throws -> JSONValue {
        try RFC3339.makeDecoder().decode(JSONValue.self, from: data)
    }
}
