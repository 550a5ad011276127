import Foundation

/// One slot of a doctor's day: `{start, end, free}`.
public struct Slot: Codable, Sendable, Equatable {
    public let start: Date
    public let end: Date
    public let free: Bool

    public init(start: Date, end: Date, free: Bool) {
        self.start = start
        self.end = end
        self.free = free
    }
}
