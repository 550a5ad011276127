import Foundation

/// A half-open span of time `[start, end)`; spans that only touch do not overlap.
public struct TimeRange: Sendable, Equatable, Hashable {
    public let start: Date
    public let end: Date

    public init(start: Date, end: Date) {
        self.start = start
        self.end = end
    }

    public func overlaps(_ other: TimeRange) -> Bool {
        start < other.end && other.start < end
    }

    public func contains(_ instant: Date) -> Bool {
        start <= instant && instant < end
    }
}
