import Foundation
import HMSSyncCore
import HMSWebSupport
import PostgresNIO

extension PostgresStore {
    /// One pull page for `actor`: the changes after `cursor` inside the actor's scope, in change
    /// order, read on one snapshot together with the client's `lastMutationId` and the present
    /// state of each changed thing, and on the last page the scope's checksum. A patient's pull
    /// first records the busy deletes of slots that have ended, so the rows it sends are the rows
    /// the checksum counts. Change seqs are drawn in commit order (`PostgresChanges`), so
    /// a snapshot that holds a seq holds every lower one that will ever commit.
    func pull(clientId: String, actor: Actor, cursorText: String?, limit: Int, now: Date) async throws -> OutgoingPullPage {
        let databaseId = try await databaseId()
        var cursor = cursorText.flatMap { PullCursor.decode($0, databaseId: databaseId) }
        // a position this database never reached: it went back in time (restored from a copy
        // not made by `backup`), and the numbers past its newest change will be reused
        if let position = cursor, try await position.seq > newestChangeSeq() { cursor = nil }
        let reset = cursorText != nil && cursor == nil
        let after = cursor?.seq ?? 0
        let bound = try await read { tx in try !tx.query("SELECT 1 FROM sync_clients WHERE id = \(clientId)").isEmpty }
        if !bound {
            _ = try await transaction { tx in
                try PushFlow.bindClient(tx, clientId: clientId, userId: actor.userId, now: now)
            }
        }
        var builder = PostgresQueryBuilder("SELECT seq, entity, entity_id, deleted FROM changes")
        let scope = Self.scope(of: actor, &builder)
        let position = builder.bind(after)
        builder.append(" WHERE seq > \(position) AND (\(scope))")
        let pageSize = builder.bind(limit + 1)
        builder.append(" ORDER BY seq LIMIT \(pageSize)")
        let query = builder.query
        if actor.role == .patient { try await settleEndedBusy(now: now) }
        return try await snapshot { tx in
            let rows = try tx.query(query).map { try $0.decode((Int64, String, String, Bool).self) }
            let page = rows.prefix(limit)
            let last = try tx.query("SELECT last_mutation_id FROM sync_clients WHERE id = \(clientId)").first?
                .decode(Int.self) ?? 0
            let changes = try Self.outgoing(tx, page.map { (entity: $0.1, id: $0.2, deleted: $0.3) }, now: now)
            let hasMore = rows.count > limit
            return OutgoingPullPage(
                cursor: PullCursor(databaseId: databaseId, seq: page.last?.0 ?? after).encoded, hasMore: hasMore,
                lastMutationId: last, reset: reset, changes: changes,
                checksum: try hasMore ? nil : tx.scopeChecksum(of: actor).hex)
        }
    }

    /// Records the busy deletes of every slot ended by `now`, so that the page's snapshot counts
    /// none of them. The expiry claims rows `SKIP LOCKED`, so rows another server's expiry job
    /// holds are skipped: this waits (briefly, bounded) until that job has committed them. Past
    /// the bound the pull goes on; the client would then see a difference and repair it.
    private func settleEndedBusy(now: Date) async throws {
        for attempt in 1...50 {
            guard try await hasEndedBusy(now: now) else { return }
            if try await expireBusy(now: now) == 0 { try await Task.sleep(for: .milliseconds(min(attempt, 5) * 10)) }
        }
    }

    /// Whether a slot has ended whose busy delete is not recorded yet (the partial index
    /// `busy_open_end` answers it without a scan).
    private func hasEndedBusy(now: Date) async throws -> Bool {
        try await read { tx in try !tx.query(#"SELECT 1 FROM busy WHERE NOT ended AND "end" <= \#(now.epochSeconds) LIMIT 1"#).isEmpty }
    }

    /// The position of the newest change, 0 when there is none.
    func newestChangeSeq() async throws -> Int64 {
        try await read { tx in try tx.query("SELECT coalesce(max(seq), 0)::BIGINT FROM changes").first?.decode(Int64.self) ?? 0 }
    }

    /// What each role may pull (CONTRACT.md §6 "Scope", §9.1 busy rows), as a condition on
    /// `changes` whose values `builder` binds. A patient's own appointments reach them as
    /// appointments, never as busy rows.
    private static func scope(of actor: Actor, _ builder: inout PostgresQueryBuilder) -> String {
        func name(_ entity: ChangeEntity) -> String { builder.bind(entity.rawValue) }
        func names(_ entities: ChangeEntity...) -> String { builder.bind(entities.map(\.rawValue)) }
        switch actor.role {
        case .admin:
            return "entity <> \(name(.busy))"
        case .doctor:
            let doctorId = builder.bind(actor.userId)
            return "entity = \(name(.doctor)) OR (entity = ANY(\(names(.availability, .appointment))) AND doctor_id = \(doctorId))"
        case .patient:
            let patientId = builder.bind(actor.userId)
            return """
                entity = ANY(\(names(.doctor, .availability))) OR (entity = \(name(.busy)) AND patient_id <> \(patientId))
                OR (entity = ANY(\(names(.appointment, .penalty, .patient))) AND patient_id = \(patientId))
                """
        }
    }

    /// The present state of each changed thing, or its deletion.
    private static func outgoing(
        _ tx: PostgresTransaction, _ page: [(entity: String, id: String, deleted: Bool)], now: Date
    ) throws -> [OutgoingChange] {
        var ids: [String: [String]] = [:]
        for change in page where !change.deleted {
            ids[change.entity, default: []].append(change.id)
        }
        var present: [String: [String: any CanonicalRow]] = [:]
        for (entity, entityIds) in ids {
            present[entity] = try tx.presentRows(of: ChangeEntity(rawValue: entity), ids: entityIds, now: now)
        }
        return page.map { OutgoingChange(entity: $0.entity, id: $0.id, row: present[$0.entity]?[$0.id]) }
    }
}
