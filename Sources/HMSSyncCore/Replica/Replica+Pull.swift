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
        let encoder = RFC3339.makeEncoder()
        try queue.write { db in
            if page.reset {
                try db.execute(sql: "DELETE FROM server_rows")
            }
            let put = try db.makeStatement(sql: """
                INSERT OR REPLACE INTO server_rows (entity, id, json, doctor_id, patient_id, start, "end", status)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let delete = try db.makeStatement(sql: "DELETE FROM server_rows WHERE entity = ? AND id = ?")
            for change in page.changes {
                guard let id = change.entityId else { continue }
                switch change.op {
                case .delete:
                    try delete.execute(arguments: [change.entity, id])
                case .put:
                    guard let row = change.row else { continue }
                    let json = String(decoding: try encoder.encode(row), as: UTF8.self)
                    let columns = IndexedColumns(entity: change.entity, id: id, row: row)
                    try put.execute(arguments: [
                        change.entity, id, json, columns.doctorId, columns.patientId, columns.start, columns.end,
                        columns.status,
                    ])
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

/// The columns of a pulled row that local rules query.
struct IndexedColumns {
    var doctorId: String?
    var patientId: String?
    var start: Int64?
    var end: Int64?
    var status: String?

    init(entity: String, id: String, row: JSONValue) {
        switch entity {
        case "doctor": doctorId = id
        case "patient": patientId = id
        default:
            doctorId = row["doctorId"]?.stringValue
            patientId = row["patientId"]?.stringValue
        }
        start = row["start"]?.stringValue.flatMap(RFC3339.parse).map { Int64($0.timeIntervalSince1970) }
        end = row["end"]?.stringValue.flatMap(RFC3339.parse).map { Int64($0.timeIntervalSince1970) }
        status = row["status"]?.stringValue
    }
}
