import Foundation

/// One change of a pull page: a row to put, or an id to delete.
public struct Change: Codable, Sendable, Equatable {
    public enum Op: String, Codable, Sendable { case put, delete }

    public let entity: String
    public let op: Op
    public let id: String?
    public let row: JSONValue?

    public init(entity: String, op: Op, id: String?, row: JSONValue?) {
        self.entity = entity
        self.op = op
        self.id = id
        self.row = row
    }

    /// The id of the thing changed, for either op.
    public var entityId: String? { id ?? row?["id"]?.stringValue }
}

/// `GET /v1/sync/pull`.
public struct PullResponse: Codable, Sendable {
    public let cursor: String
    public let hasMore: Bool
    public let lastMutationId: Int
    public let reset: Bool
    public let changes: [Change]
    /// The scope's checksum, on the last page (CONTRACT.md §9.6; `ScopeChecksum`).
    public let checksum: String?

    public init(cursor: String, hasMore: Bool, lastMutationId: Int, reset: Bool, changes: [Change], checksum: String? = nil) {
        self.cursor = cursor
        self.hasMore = hasMore
        self.lastMutationId = lastMutationId
        self.reset = reset
        self.changes = changes
        self.checksum = checksum
    }
}

/// A doctor's time held by an active appointment, with no patient data.
public struct BusyRow: Codable, Sendable, Equatable {
    public let id: String
    public let doctorId: String
    public let start: Date
    public let end: Date

    public init(id: String, doctorId: String, start: Date, end: Date) {
        self.id = id
        self.doctorId = doctorId
        self.start = start
        self.end = end
    }
}
