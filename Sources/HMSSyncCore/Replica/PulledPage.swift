import Foundation

/// A pull page ready to store: each row already as canonical JSON text (`CanonicalJSON`) with the
/// columns local rules query. Built straight from the response bytes with `JSONSerialization`,
/// which is several times faster than decoding every row into `JSONValue`.
struct PulledPage {
    struct Row {
        let entity: String
        let id: String
        /// nil: delete.
        let json: String?
        let columns: IndexedColumns
    }

    let cursor: String
    let hasMore: Bool
    let lastMutationId: Int
    let reset: Bool
    let rows: [Row]
    /// The scope's checksum the last page carries (CONTRACT.md §9.6).
    let checksum: ScopeChecksum?

    /// Rows are flat objects inside `changes`; anything much deeper is not a pull answer, and
    /// is refused before the parser recurses into it.
    static let nestingLimit = 32

    /// Reads a `GET /v1/sync/pull` answer; anything unreadable is `DomainError` `INTERNAL`.
    init(json data: Data) throws(DomainError) {
        let unreadable = DomainError(.internal, "the pull answer could not be read")
        guard JSONNesting.isWithin(data, limit: Self.nestingLimit),
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
            let cursor = object["cursor"] as? String, let changes = object["changes"] as? [[String: Any]]
        else { throw unreadable }
        self.cursor = cursor
        hasMore = object["hasMore"] as? Bool ?? false
        lastMutationId = (object["lastMutationId"] as? NSNumber)?.intValue ?? 0
        reset = object["reset"] as? Bool ?? false
        checksum = (object["checksum"] as? String).flatMap(ScopeChecksum.init(hex:))
        var rows: [Row] = []
        for change in changes {
            guard let entity = change["entity"] as? String else { continue }
            if change["op"] as? String == "delete" {
                guard let id = change["id"] as? String else { continue }
                rows.append(Row(entity: entity, id: id, json: nil, columns: IndexedColumns()))
                continue
            }
            guard let row = change["row"] as? [String: Any], let id = row["id"] as? String else { continue }
            // kept as its canonical bytes, so the replica's checksum hashes them as they are
            guard let json = try? CanonicalJSON.data(foundation: row) else { throw unreadable }
            rows.append(Row(entity: entity, id: id, json: String(decoding: json, as: UTF8.self),
                            columns: IndexedColumns(entity: entity, id: id) { row[$0] as? String }))
        }
        self.rows = rows
    }

    /// The same from an already decoded answer (tests and callers holding a `PullResponse`).
    init(_ page: PullResponse) throws {
        cursor = page.cursor
        hasMore = page.hasMore
        lastMutationId = page.lastMutationId
        reset = page.reset
        checksum = page.checksum.flatMap(ScopeChecksum.init(hex:))
        rows = try page.changes.compactMap { change in
            guard let id = change.entityId else { return nil }
            guard change.op == .put, let row = change.row else {
                return Row(entity: change.entity, id: id, json: nil, columns: IndexedColumns())
            }
            return Row(entity: change.entity, id: id, json: String(decoding: CanonicalJSON.data(row), as: UTF8.self),
                       columns: IndexedColumns(entity: change.entity, id: id) { row[$0]?.stringValue })
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

    init() {}

    /// - Parameter field: a string field of the row by name.
    init(entity: String, id: String, field: (String) -> String?) {
        switch entity {
        case "doctor": doctorId = id
        case "patient": patientId = id
        default:
            doctorId = field("doctorId")
            patientId = field("patientId")
        }
        start = field("start").flatMap(RFC3339.parse).map { Int64($0.timeIntervalSince1970) }
        end = field("end").flatMap(RFC3339.parse).map { Int64($0.timeIntervalSince1970) }
        status = field("status")
    }
}
