import Foundation

/// A pull page ready to store: each row already as canonical JSON text (`CanonicalJSON`) with the
/// columns local rules query. Read straight from the response bytes (`JSONScanner`): a row whose
/// bytes already are canonical, as a server's are, is kept as it came, without being parsed
/// into objects and written again; any other row goes through `JSONSerialization` and the
/// canonical writer.
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
        var scanner = JSONScanner(Array(data), depthLimit: Self.nestingLimit)
        var cursor: String?
        var hasMore = false, reset = false, lastMutationId = 0
        var checksum: ScopeChecksum?
        var rows: [Row]?
        do {
            try scanner.object { scanner, key in
                switch key {
                case "cursor": cursor = try scanner.stringValue()
                case "hasMore": hasMore = try scanner.isTrue()
                case "reset": reset = try scanner.isTrue()
                case "lastMutationId": lastMutationId = try scanner.intValue() ?? 0
                case "checksum": checksum = try scanner.stringValue().flatMap(ScopeChecksum.init(hex:))
                case "changes": rows = try Self.changes(&scanner)
                default: try scanner.skipValue()
                }
            }
            scanner.skipWhitespace()
            guard scanner.isAtEnd else { throw JSONScanner.Malformed() }
        } catch {
            throw unreadable
        }
        guard let cursor, let rows else { throw unreadable }
        self.cursor = cursor
        self.hasMore = hasMore
        self.lastMutationId = lastMutationId
        self.reset = reset
        self.checksum = checksum
        self.rows = rows
    }

    /// The `changes` array: every element must be an object; one without an entity, or a put
    /// without a row holding an `id`, is passed over.
    private static func changes(_ scanner: inout JSONScanner) throws -> [Row] {
        var rows: [Row] = []
        try scanner.expect(UInt8(ascii: "["))
        if try scanner.take(UInt8(ascii: "]")) { return rows }
        repeat {
            var entity: String?, op: String?, id: String?
            var row: ScannedRow?
            try scanner.object { scanner, key in
                switch key {
                case "entity": entity = try scanner.stringValue()
                case "op": op = try scanner.stringValue()
                case "id": id = try scanner.stringValue()
                case "row":
                    if try scanner.peek() == UInt8(ascii: "{") {
                        row = try ScannedRow(&scanner)
                    } else {
                        row = nil
                        try scanner.skipValue()
                    }
                default: try scanner.skipValue()
                }
            }
            guard let entity else { continue }
            if op == "delete" {
                if let id { rows.append(Row(entity: entity, id: id, json: nil, columns: IndexedColumns())) }
            } else if let put = try row?.pulledRow(entity: entity, in: scanner.bytes) {
                rows.append(put)
            }
        } while try scanner.take(UInt8(ascii: ","))
        try scanner.expect(UInt8(ascii: "]"))
        return rows
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
