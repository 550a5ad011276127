import HMSSyncCore

/// A change as a pull writes it: `{entity, op: "put", row}` or `{entity, op: "delete", id}`.
struct OutgoingChange: Sendable {
    let entity: String
    let id: String
    let row: (any CanonicalRow)?

    func write(to writer: inout CanonicalWriter) {
        writer.openObject()
        writer.key("entity"); writer.string(entity)
        if let row {
            writer.key("op"); writer.string(Change.Op.put.rawValue)
            writer.key("row"); row.write(to: &writer)
        } else {
            writer.key("id"); writer.string(id)
            writer.key("op"); writer.string(Change.Op.delete.rawValue)
        }
        writer.closeObject()
    }
}

/// The pull answer with rows still typed, written once straight to the body.
struct OutgoingPullPage: Sendable {
    let cursor: String
    let hasMore: Bool
    let lastMutationId: Int
    let reset: Bool
    let changes: [OutgoingChange]
    /// On the last page only (CONTRACT.md §9.6).
    var checksum: String?

    /// The answer's JSON, written by hand because a page of 5,000 rows through `JSONEncoder` was
    /// most of a pull's time (BENCHMARKS.md). Keys in byte order and every row canonical, so the
    /// bytes are those the contract's encoder writes, up to the spelling of escapes.
    var json: [UInt8] {
        var writer = CanonicalWriter(capacity: 128 + changes.count * 512)
        writer.openObject()
        writer.key("changes")
        writer.openArray()
        for change in changes { change.write(to: &writer) }
        writer.closeArray()
        if let checksum { writer.key("checksum"); writer.string(checksum) }
        writer.key("cursor"); writer.string(cursor)
        writer.key("hasMore"); writer.bool(hasMore)
        writer.key("lastMutationId"); writer.int(lastMutationId)
        writer.key("reset"); writer.bool(reset)
        writer.closeObject()
        return writer.bytes
    }
}
