import Foundation
import GRDB

/// Where a pull stands after one page.
public struct PullPosition: Sendable, Equatable {
    public let cursor: String?
    public let lastMutationId: Int
}

extension Replica {
    /// The cursor to continue pulling from (nil: from the beginning).
    public func pullCursor() throws -> String? {
        try queue.read { db in try db.state(.cursor) }
    }

    /// Stores one pulled page and its cursor in one transaction, so an interrupted pull resumes
    /// after the last stored page. `reset` drops the server's rows first (the outbox stays).
    /// When the page is the last (`hasMore` false), applied intents the server has now
    /// reported are dropped from the local replay.
    public func store(page: PullResponse, now: Date) throws {
        try store(try PulledPage(page), now: now)
    }

    /// What storing one page found.
    struct StoredPage {
        let changes: Int
        let hasMore: Bool
        let reset: Bool
        let lastMutationId: Int
        /// On the last page: the entities whose rows differ from the server's (CONTRACT.md §9.6).
        var differing: [String] = []
        /// The entities of a repair pull that ended with this page.
        var repaired: [String] = []
    }

    /// The same, straight from the answer's bytes (the sync engine's fast path).
    func store(pageJSON: Data, now: Date) throws -> StoredPage {
        try store(try PulledPage(json: pageJSON), now: now)
    }

    /// The same for a page already read (the sync engine reads it first for its cursor).
    @discardableResult
    func store(_ page: PulledPage, now: Date) throws -> StoredPage {
        try queue.write { db in
            var stored = StoredPage(
                changes: page.rows.count, hasMore: page.hasMore, reset: page.reset, lastMutationId: page.lastMutationId)
            var kept = try Self.keptChecksum(db, cipher, now: now)
            if try page.reset || db.state(.resetPending) != nil {
                try db.execute(sql: "DELETE FROM server_rows")
                try db.setState(.resetPending, nil)
                try Self.dropRepair(db)
                if kept != nil { kept = ScopeChecksum() }
            }
            if kept == nil, try !(Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM server_rows)") ?? false) {
                // nothing held: the checksum of every row is known without reading one
                kept = ScopeChecksum()
                try Self.keep(kept!, db, cipher, fullAt: now)
            }
            try Self.noteRepairedRows(db, page)
            let previous = try db.cachedStatement(sql: "SELECT json FROM server_rows WHERE entity = ? AND id = ?")
            let put = try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO server_rows (entity, id, json, doctor_id, patient_id, start, "end", status)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let delete = try db.cachedStatement(sql: "DELETE FROM server_rows WHERE entity = ? AND id = ?")
            for row in page.rows {
                if kept != nil, let old = try Data.fetchOne(previous, arguments: [row.entity, row.id]) {
                    kept!.toggle(entity: row.entity, hash: Self.rowHash(row.entity, row.id, sealed: old, cipher))
                }
                if let json = row.json {
                    kept?.toggle(entity: row.entity, hash: ScopeChecksum.rowHash(entity: row.entity, id: row.id, canonicalRow: Data(json.utf8)))
                    let columns = row.columns
                    try put.execute(arguments: [
                        row.entity, row.id, try cipher.seal(json, at: .serverRow(entity: row.entity, id: row.id)), columns.doctorId, columns.patientId, columns.start, columns.end,
                        columns.status,
                    ])
                } else {
                    try delete.execute(arguments: [row.entity, row.id])
                }
            }
            if let kept { try Self.keep(kept, db, cipher, fullAt: nil) }
            try db.setState(.cursor, page.cursor)
            try db.setState(.lastMutationId, String(page.lastMutationId))
            if !page.hasMore {
                let clientId = try db.state(.clientId) ?? ""
                try db.execute(
                    sql: "DELETE FROM intents WHERE state = 'applied' AND (client_id <> ? OR mutation_id <= ?)",
                    arguments: [clientId, page.lastMutationId])
                try db.setState(.lastSyncAt, RFC3339.format(now))
                (stored.differing, stored.repaired) = try Self.verify(db, cipher, expected: page.checksum, now: now)
                // the replay over the rows just pulled, kept for the commands that follow
                if let session = try Self.session(db, cipher) {
                    try LocalView(db, actor: session.actor, cipher: cipher).keep()
                }
            }
            return stored
        }
    }
}
