import Foundation
import GRDB
import HMSSyncCore

/// How a push batch ended: every mutation handled, or a stop (`MUTATION_GAP`,
/// `MUTATION_MISMATCH`) after the ones before it were kept.
enum PushOutcome: Sendable {
    case handled(PushResponse)
    case stopped(DomainError)
}

extension Store {
    /// Binds `clientId` to `userId` on first use; another user naming it is `FORBIDDEN`.
    static func bindClient(_ db: Database, clientId: String, userId: String, now: Date) throws -> Int {
        if let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT user_id, last_mutation_id FROM sync_clients WHERE id = ?"), arguments: [clientId])
        {
            guard row["user_id"] as String == userId else {
                throw DomainError(.forbidden, "this clientId belongs to another user")
            }
            return row["last_mutation_id"]
        }
        try db.execute(
            sql: "INSERT INTO sync_clients (id, user_id, created_at) VALUES (?, ?, ?)",
            arguments: [clientId, userId, now.epochSeconds])
        return 0
    }

    /// Checks the client's owner before anything else of a push or pull (read only when bound).
    func checkClientOwner(clientId: String, userId: String) async throws {
        let owner = try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT user_id FROM sync_clients WHERE id = ?", arguments: [clientId])
        }
        if let owner, owner != userId { throw DomainError(.forbidden, "this clientId belongs to another user") }
    }

    /// Handles a push in id order, in one transaction: each mutation in its own savepoint, so
    /// a rejected one rolls back alone and is recorded as rejected, together with the client's
    /// `lastMutationId`. Retries (ids already handled) answer their stored results; results
    /// older than the newest `keptResults` are pruned in the same transaction. Each handled
    /// mutation appends its own audit row (appointment, patient, outcome) to the request's
    /// trail in the same transaction.
    func push(clientId: String, actor: Actor, mutations: [Mutation], now: Date) async throws -> PushOutcome {
        let trail = AuditTrail.current
        return try await pool.write { db in
            let first = try Self.bindClient(db, clientId: clientId, userId: actor.userId, now: now)
            var last = first
            let outcome = try Self.handle(
                db, mutations, clientId: clientId, actor: actor, now: now, trail: trail, last: &last)
            // Written whether the batch ran through or stopped at a gap or mismatch: the mutations
            // before a stop are committed, and their retries must find them handled.
            if last != first {
                try db.cachedStatement(sql: "UPDATE sync_clients SET last_mutation_id = ? WHERE id = ?")
                    .execute(arguments: [last, clientId])
                try Self.pruneResults(db, clientId: clientId, last: last)
            }
            return outcome
        }
    }

    private static func handle(
        _ db: Database, _ mutations: [Mutation], clientId: String, actor: Actor, now: Date, trail: AuditTrail?,
        last: inout Int
    ) throws -> PushOutcome {
        var results: [MutationResult] = []
        for mutation in mutations.sorted(by: { $0.id < $1.id }) {
            let digest = MutationDigest.of(mutation)
            if mutation.id <= last {
                guard let stored = try storedResult(db, clientId: clientId, id: mutation.id) else {
                    return .stopped(DomainError(
                        .mutationMismatch, "mutation \(mutation.id) is older than the results this server keeps",
                        details: ["id": .int(mutation.id)]))
                }
                guard stored.digest == digest else {
                    return .stopped(DomainError(
                        .mutationMismatch, "mutation \(mutation.id) was stored with other content",
                        details: ["id": .int(mutation.id)]))
                }
                results.append(stored.result)
                continue
            }
            guard mutation.id == last + 1 else {
                return .stopped(DomainError(
                    .mutationGap, "mutation ids must follow \(last) without a gap", details: ["expected": .int(last + 1)]))
            }
            let result = try handle(db, mutation, actor: actor, now: now)
            if let trail { try auditMutation(db, mutation, result, trail: trail) }
            try db.cachedStatement(sql: """
                    INSERT INTO sync_mutations (client_id, mutation_id, digest, status, code, message, client_time, handled_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """).execute(
                arguments: [clientId, mutation.id, digest, result.status.rawValue, result.code, result.message,
                            mutation.clientTime?.epochSeconds, now.epochSeconds])
            last = mutation.id
            results.append(result)
        }
        return .handled(PushResponse(lastMutationId: last, results: results))
    }

    /// Applies one mutation inside a savepoint; a broken rule rolls the savepoint back.
    private static func handle(_ db: Database, _ mutation: Mutation, actor: Actor, now: Date) throws -> MutationResult {
        var refusal: DomainError?
        try db.inSavepoint {
            do {
                try apply(db, try IntentArgs.intent(name: mutation.name, args: mutation.args), actor: actor, now: now)
                return .commit
            } catch let error as DomainError {
                refusal = error
                return .rollback
            }
        }
        guard let refusal else { return MutationResult(id: mutation.id, status: .applied) }
        return MutationResult(id: mutation.id, status: .rejected, code: refusal.code.rawValue, message: refusal.message)
    }

    /// The audit row of one handled mutation: the intent's name (a known one only: an unknown
    /// name is never repeated), its appointment and that appointment's patient.
    private static func auditMutation(_ db: Database, _ mutation: Mutation, _ result: MutationResult, trail: AuditTrail) throws {
        let intent = try? IntentArgs.intent(name: mutation.name, args: mutation.args)
        let appointmentId = intent?.appointmentId
        var patientId = try appointmentId.flatMap { id in
            try String.fetchOne(
                db.cachedStatement(sql: "SELECT patient_id FROM appointments WHERE id = ?"), arguments: [id])
        }
        // a refused booking names the patient it was for (an admin's `patientId`; a patient's own
        // id comes from the request's note)
        if patientId == nil, case .book(let book)? = intent { patientId = book.patientId }
        try append(db, trail.entry(
            outcome: result.status == .applied ? "success" : (result.code ?? "rejected"), patientId: patientId,
            entityId: appointmentId, action: "\(trail.action) \(intent?.name ?? "unknown")", entity: "appointment"))
        trail.note.markWrittenInTransaction()
    }

    private static func storedResult(_ db: Database, clientId: String, id: Int) throws
        -> (digest: String, result: MutationResult)?
    {
        guard let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM sync_mutations WHERE client_id = ? AND mutation_id = ?"),
            arguments: [clientId, id])
        else { return nil }
        let status = MutationResult.Status(rawValue: row["status"]) ?? .rejected
        return (row["digest"], MutationResult(id: id, status: status, code: row["code"], message: row["message"]))
    }
}
