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

    /// The same, straight from the answer's bytes (the sync engine's fast path).
    /// - Returns: how many changes the page held, and whether more pages follow.
    func store(pageJSON: Data, now: Date) throws -> (changes: Int, hasMore: Bool, reset: Bool, lastMutationId: Int) {
        let page = try PulledPage(json: pageJSON)
        try store(page, now: now)
        return (page.rows.count, page.hasMore, page.reset, page.lastMutationId)
    }

    private func store(_ page: PulledPage, now: Date) throws {
        try queue.write { db in
            if try page.reset || db.state(.resetPending) != nil {
                try db.execute(sql: "DELETE FROM server_rows")
                try db.setState(.resetPending, nil)
            }
            let put = try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO server_rows (entity, id, json, doctor_id, patient_id, start, "end", status)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let delete = try db.cachedStatement(sql: "DELETE FROM server_rows WHERE entity = ? AND id = ?")
            for row in page.rows {
                if let json = row.json {
                    let columns = row.columns
                    try put.execute(arguments: [
                        row.entity, row.id, try cipher.seal(json, at: .serverRow(entity: row.entity, id: row.id)), columns.doctorId, columns.patientId, columns.start, columns.end,
                        columns.status,
                    ])
                } else {
                    try delete.execute(arguments: [row.entity, row.id])
                }
            }
            try db.setState(.cursor, page.cursor)
            try db.setState(.lastMutationId, String(page.lastMutationId))
            if !page.hasMore {
                let clientId = try db.state(.clientId) ?? ""
                try db.execute(
                    sql: "DELETE FROM intents WHERE state = 'applied' AND (client_id <> ? OR mutation_id <= ?)",
                    arguments: [clientId, page.lastMutationId])
                try db.setState(.lastSyncAt, RFC3339.format(now))
            }
        }
    }
}
