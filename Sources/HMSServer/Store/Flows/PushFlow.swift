import Foundation
import HMSSyncCore

/// How a push batch ended: every mutation handled, or a stop (`MUTATION_GAP`,
/// `MUTATION_MISMATCH`) after the ones before it were kept.
enum PushOutcome: Sendable {
    case handled(PushResponse)
    case stopped(DomainError)
}

/// Push sequencing, written once for every backend: bind the client, then per mutation in id
/// order digest → stored result (retry or mismatch) → gap → apply in a savepoint → store the
/// result and its audit row; then the client's `lastMutationId` and the pruning of old results,
/// all in the push's one transaction.
enum PushFlow {
    /// How many of a client's newest handled mutations keep their stored result: twice the
    /// largest push. A client sends its pending intents from the lowest, at most
    /// `maxMutationsPerPush` at a time, so the server's `lastMutationId` is never that far above
    /// any id an honest client retries; only a replica restored from an old backup can send a
    /// pruned id, and it is answered `MUTATION_MISMATCH` (docs/sync.md, "Bounded results").
    static let keptResults = 2 * SyncProtocol.maxMutationsPerPush

    static func push<T: StoreTransaction>(
        _ tx: T, clientId: String, actor: Actor, mutations: [Mutation], now: Date, trail: AuditTrail?
    ) throws -> PushOutcome {
        let first = try bindClient(tx, clientId: clientId, userId: actor.userId, now: now)
        if mutations.contains(where: { $0.id > first }) { try tx.lockChangeOrder() }
        var last = first
        let outcome = try handle(tx, mutations, clientId: clientId, actor: actor, now: now, trail: trail, last: &last)
        // Written whether the batch ran through or stopped at a gap or mismatch: the mutations
        // before a stop are committed, and their retries must find them handled.
        if last != first {
            try tx.setLastMutationId(last, clientId: clientId)
            if last > keptResults { try tx.deleteResults(clientId: clientId, through: last - keptResults) }
        }
        return outcome
    }

    /// Binds `clientId` to `userId` on first use; another user naming it is `FORBIDDEN`.
    static func bindClient<T: SyncRows>(_ tx: T, clientId: String, userId: String, now: Date) throws -> Int {
        try tx.lockSyncClient(id: clientId)
        if let client = try tx.syncClient(id: clientId) {
            guard client.userId == userId else { throw DomainError(.forbidden, "this clientId belongs to another user") }
            return client.lastMutationId
        }
        try tx.insertSyncClient(id: clientId, userId: userId, now: now)
        return 0
    }

    private static func handle<T: StoreTransaction>(
        _ tx: T, _ mutations: [Mutation], clientId: String, actor: Actor, now: Date, trail: AuditTrail?, last: inout Int
    ) throws -> PushOutcome {
        var results: [MutationResult] = []
        for mutation in mutations.sorted(by: { $0.id < $1.id }) {
            let digest = MutationDigest.of(mutation)
            if mutation.id <= last {
                guard let stored = try tx.storedResult(clientId: clientId, mutationId: mutation.id) else {
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
            let (result, patientId) = try apply(tx, mutation, actor: actor, now: now)
            if let trail { try audit(tx, mutation, result, patientId: patientId, trail: trail) }
            try tx.insertResult(clientId: clientId, mutation: mutation, digest: digest, result: result, now: now)
            last = mutation.id
            results.append(result)
        }
        return .handled(PushResponse(lastMutationId: last, results: results))
    }

    /// Applies one mutation inside a savepoint; a broken rule rolls the savepoint back alone, and
    /// a `SLOT_TAKEN` then gains its alternatives. Answers the result and, when it was applied,
    /// its appointment's patient.
    private static func apply<T: StoreTransaction>(_ tx: T, _ mutation: Mutation, actor: Actor, now: Date) throws
        -> (MutationResult, patientId: String?)
    {
        let intent: Intent
        do {
            intent = try IntentArgs.intent(name: mutation.name, args: mutation.args)
        } catch {
            return (MutationResult(id: mutation.id, refusal: error), nil)
        }
        do {
            var patientId: String?
            try tx.inSavepoint { patientId = try IntentFlow.apply(tx, intent, actor: actor, now: now).patientId }
            return (MutationResult(id: mutation.id, status: .applied), patientId)
        } catch let refusal as DomainError {
            let result = MutationResult(
                id: mutation.id, refusal: try AlternativesFlow.refusal(refusal, tx, for: intent, actor: actor, now: now))
            return (result, nil)
        }
    }

    /// The audit row of one handled mutation: the intent's name (a known one only: an unknown
    /// name is never repeated), its appointment and that appointment's patient (`applied`, known
    /// when the mutation was applied; otherwise read).
    private static func audit<T: StoreTransaction>(
        _ tx: T, _ mutation: Mutation, _ result: MutationResult, patientId applied: String?, trail: AuditTrail
    ) throws {
        let intent = try? IntentArgs.intent(name: mutation.name, args: mutation.args)
        // Only ids in their checked form reach the audit row or a query: a refused mutation's
        // text is the sender's, of any length and content.
        let appointmentId = intent.flatMap { try? FieldRule.id($0.appointmentId, field: "id") }
        var patientId = try applied ?? appointmentId.flatMap { id in try tx.appointment(id: id)?.patientId }
        // a refused booking names the patient it was for (an admin's `patientId`; a patient's own
        // id comes from the request's note)
        if patientId == nil, case .book(let book)? = intent {
            patientId = book.patientId.flatMap { try? FieldRule.id($0, field: "patientId") }
        }
        try tx.appendAudit(trail.entry(
            outcome: result.status == .applied ? "success" : (result.code ?? "rejected"), patientId: patientId,
            entityId: appointmentId, action: "\(trail.action) \(intent?.name ?? "unknown")", entity: "appointment"))
        trail.note.markWrittenInTransaction()
    }
}
