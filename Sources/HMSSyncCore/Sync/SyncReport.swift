/// What one sync did: `{pushed, applied, rejected, pulled, pending}`.
public struct SyncReport: Codable, Sendable, Equatable {
    public var pushed = 0
    public var applied = 0
    public var rejected = 0
    public var pulled = 0
    public var pending = 0

    public init() {}
}

/// Progress of a sync, for long pulls.
public struct SyncProgress: Sendable, Equatable {
    public enum Phase: String, Sendable { case pushing, pulling, done }

    public let phase: Phase
    public let pages: Int
    public let rows: Int
    public let pending: Int
}
