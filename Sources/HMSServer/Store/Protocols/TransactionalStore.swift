import Foundation
import HMSSyncCore

/// A backend that hands out write transactions as `StoreTransaction`s, so that the flows
/// written once (`IntentFlow`, `PushFlow`, `NoShowFlow`, `BusyFlow`) run on it unchanged.
protocol TransactionalStore: Sendable {
    associatedtype Transaction: StoreTransaction
    /// One write transaction: committed when `body` returns, rolled back when it throws.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (Transaction) throws -> T) async throws -> T
}

extension TransactionalStore {
    /// A write transaction; inside a request it also appends the request's audit row, so the
    /// write and its audit row commit together or not at all (`AuditTrail`).
    func auditedTransaction<T: Sendable>(_ body: @escaping @Sendable (Transaction) throws -> T) async throws -> T {
        // Task-local values don't follow a backend onto its own threads: read it here.
        guard let trail = AuditTrail.current else { return try await transaction(body) }
        return try await transaction { tx in
            let value = try body(tx)
            try trail.appendWrite(tx, result: value)
            return value
        }
    }

    func book(_ intent: BookIntent, actor: Actor, now: Date) async throws -> BookingOutcome {
        try await offeringAlternatives(for: .book(intent), actor: actor, now: now) {
            try await auditedTransaction { tx in try IntentFlow.book(tx, intent, now: now) }
        }
    }

    func reschedule(_ intent: RescheduleIntent, actor: Actor, now: Date) async throws -> BookingOutcome {
        try await offeringAlternatives(for: .reschedule(intent), actor: actor, now: now) {
            try await auditedTransaction { tx in try IntentFlow.reschedule(tx, intent, actor: actor, now: now) }
        }
    }

    /// Runs a booking's transaction; a `SLOT_TAKEN` it throws gains its alternatives, read in a
    /// transaction of their own once the refused one has rolled back (`AlternativesFlow`).
    private func offeringAlternatives(
        for intent: Intent, actor: Actor, now: Date, _ body: () async throws -> BookingOutcome
    ) async throws -> BookingOutcome {
        do {
            return try await body()
        } catch let refusal as DomainError where refusal.code == .slotTaken {
            throw try await transaction { tx in try AlternativesFlow.refusal(refusal, tx, for: intent, actor: actor, now: now) }
        }
    }

    func cancel(_ intent: CancelIntent, actor: Actor, now: Date) async throws -> Appointment {
        try await auditedTransaction { tx in try IntentFlow.cancel(tx, intent, actor: actor, now: now) }
    }

    func complete(_ intent: CompleteIntent, actor: Actor, now: Date) async throws -> Appointment {
        try await auditedTransaction { tx in try IntentFlow.complete(tx, intent, actor: actor, now: now) }
    }

    /// Handles a push in id order, in one transaction (`PushFlow`); each handled mutation
    /// appends its own audit row to the request's trail in that transaction.
    func push(clientId: String, actor: Actor, mutations: [Mutation], now: Date) async throws -> PushOutcome {
        let trail = AuditTrail.current
        return try await transaction { tx in
            try PushFlow.push(tx, clientId: clientId, actor: actor, mutations: mutations, now: now, trail: trail)
        }
    }

    /// Marks overdue booked appointments `NO_SHOW`, in transactions of at most `batch` (`NoShowFlow`).
    func sweepNoShows(now: Date, grace: TimeInterval, mail: EscalationMail, batch: Int) async throws -> NoShowSweepResult {
        var total = NoShowSweepResult()
        let trail = AuditTrail.current
        while true {
            let round = try await transaction { tx in
                try NoShowFlow.sweepBatch(tx, now: now, grace: grace, mail: mail, batch: batch, trail: trail)
            }
            total = total + round
            if round.markedNoShow < batch { return total }
        }
    }

    /// Records one busy delete per busy row whose slot has ended, in transactions of at most `batch`.
    func expireBusy(now: Date, batch: Int) async throws -> Int {
        var total = 0
        while true {
            let (found, ended) = try await transaction { tx in try BusyFlow.expireBatch(tx, now: now, batch: batch) }
            total += ended
            if found < batch { return total }
        }
    }
}
