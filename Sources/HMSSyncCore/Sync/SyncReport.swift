/// What one sync did: `{pushed, applied, rejected, pulled, pending}`.
public struct SyncReport: Codable, Sendable, Equatable {
    public var pushed = 0
    public var applied = 0
    public var rejected = 0
    public var pulled = 0
    public var pending = 0
    /// Intents recorded again because the server had lost them (CONTRACT.md §9.9). Not part of
    /// the contract's `sync --json` object, so not encoded; `status` keeps the total.
    public var recovered = 0
    /// The entities repaired because the replica had drifted from the server (CONTRACT.md §9.6),
    /// and those that still differed after a full repair. Not encoded either; `status` keeps the
    /// count of repairs.
    public var repaired: [String] = []
    public var unrepaired: [String] = []

    public init() {}

    private enum CodingKeys: String, CodingKey { case pushed, applied, rejected, pulled, pending }
}

/// Progress of a sync, for long pulls.
public struct SyncProgress: Sendable, Equatable {
    public enum Phase: String, Sendable { case pushing, pulling, done }

    public let phase: Phase
    public let pages: Int
    public let rows: Int
    public let pending: Int
}
