import HMSSyncCore

/// A change as a pull writes it: `{entity, op: "put", row}` or `{entity, op: "delete", id}`.
struct OutgoingChange: Encodable, Sendable {
    let entity: String
    let id: String
    let row: (any Encodable & Sendable)?

    private enum CodingKeys: String, CodingKey { case entity, op, id, row }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(entity, forKey: .entity)
        if let row {
            try container.encode(Change.Op.put, forKey: .op)
            try container.encode(row, forKey: .row)
        } else {
            try container.encode(Change.Op.delete, forKey: .op)
            try container.encode(id, forKey: .id)
        }
    }
}

/// The pull answer with rows still typed, encoded once straight to the body.
struct OutgoingPullPage: Encodable, Sendable {
    let cursor: String
    let hasMore: Bool
    let lastMutationId: Int
    let reset: Bool
    let changes: [OutgoingChange]
    /// On the last page only (CONTRACT.md §9.6).
    var checksum: String?
}
