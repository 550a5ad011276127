import Foundation
import GRDB
import HMSSyncCore

extension SQLiteStore {
    /// One pull page for `actor`: the changes after `cursor` inside the actor's scope, in change
    /// order, read in one transaction together with the client's `lastMutationId` and, on the
    /// last page, the scope's checksum. A patient's pull first records the busy deletes of slots
    /// that have ended, so the rows it sends are the rows the checksum counts.
    func pull(clientId: String, actor: Actor, cursorText: String?, limit: Int, now: Date) async throws -> OutgoingPullPage {
        let databaseId = try await databaseId()
        var cursor = cursorText.flatMap { PullCursor.decode($0, databaseId: databaseId) }
        // a position this database never reached: it went back in time (restored from a copy
        // not made by `backup`), and the numbers past its newest change will be reused
        if let position = cursor, try await position.seq > newestChangeSeq() { cursor = nil }
        let reset = cursorText != nil && cursor == nil
        let after = cursor?.seq ?? 0
        let bound = try await pool.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM sync_clients WHERE id = ?", arguments: [clientId]) ?? false
        }
        if !bound {
            _ = try await pool.write { db in
                try PushFlow.bindClient(SQLiteTransaction(db: db), clientId: clientId, userId: actor.userId, now: now)
            }
        }
        if actor.role == .patient, try await pool.read({ db in try Self.hasEndedBusy(db, now: now) }) {
            _ = try await expireBusy(now: now)
        }
        return try await pool.read { db in
            let (scope, scopeArguments) = Self.scope(of: actor)
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT seq, entity, entity_id, deleted FROM changes WHERE seq > ? AND (\(scope)) ORDER BY seq LIMIT ?",
                arguments: [after] + scopeArguments + [limit + 1])
            let page = rows.prefix(limit)
            let last = try Int.fetchOne(
                db, sql: "SELECT last_mutation_id FROM sync_clients WHERE id = ?", arguments: [clientId]) ?? 0
            let changes = try Self.outgoing(db, page, now: now)
            let position = page.last.map { $0[0] as Int64 } ?? after
            let hasMore = rows.count > limit
            return OutgoingPullPage(
                cursor: PullCursor(databaseId: databaseId, seq: position).encoded, hasMore: hasMore,
                lastMutationId: last, reset: reset, changes: changes,
                checksum: try hasMore ? nil : Self.scopeChecksum(db, of: actor).hex)
        }
    }

    /// Whether a slot has ended whose busy delete is not recorded yet (the partial index
    /// `busy_open_end` answers it without a scan).
    private static func hasEndedBusy(_ db: Database, now: Date) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM busy WHERE ended = 0 AND \"end\" <= ? LIMIT 1", arguments: [now.epochSeconds])
            ?? false
    }

    /// The position of the newest change, 0 when there is none.
    func newestChangeSeq() async throws -> Int64 {
        try await pool.read { db in try Int64.fetchOne(db, sql: "SELECT coalesce(max(seq), 0) FROM changes") ?? 0 }
    }

    /// What each role may pull (CONTRACT.md §6 "Scope", §9.1 busy rows), as a condition on
    /// `changes`. A patient's own appointments reach them as appointments, never as busy rows.
    private static func scope(of actor: Actor) -> (String, StatementArguments) {
        switch actor.role {
        case .admin:
            return ("entity <> 'busy'", [])
        case .doctor:
            return ("entity = 'doctor' OR (entity IN ('availability', 'appointment') AND doctor_id = ?)", [actor.userId])
        case .patient:
            return (
                """
                entity IN ('doctor', 'availability') OR (entity = 'busy' AND patient_id <> ?)
                OR (entity IN ('appointment', 'penalty', 'patient') AND patient_id = ?)
                """,
                [actor.userId, actor.userId]
            )
        }
    }

    /// The present state of each changed thing, or its deletion.
    private static func outgoing(_ db: Database, _ page: ArraySlice<Row>, now: Date) throws -> [OutgoingChange] {
        var ids: [String: [String]] = [:]
        // rows of `SELECT seq, entity, entity_id, deleted`, read by position
        for row in page where !(row[3] as Bool) {
            ids[row[1], default: []].append(row[2])
        }
        var present: [String: [String: any CanonicalRow]] = [:]
        for (entity, entityIds) in ids {
            present[entity] = try rows(db, entity: ChangeEntity(rawValue: entity), ids: entityIds, now: now)
        }
        return page.map { row in
            let entity: String = row[1]
            let id: String = row[2]
            return OutgoingChange(entity: entity, id: id, row: present[entity]?[id])
        }
    }
}
