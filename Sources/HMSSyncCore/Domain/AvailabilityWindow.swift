import Foundation

/// A doctor's bookable time, cut into slots of `slotMinutes` (CONTRACT.md §3).
public struct AvailabilityWindow: Codable, Sendable, Equatable, Hashable {
    public let id: String
    public let doctorId: String
    public let start: Date
    public let end: Date
    public let slotMinutes: Int

    public init(id: String, doctorId: String, start: Date, end: Date, slotMinutes: Int) {
        self.id = id
        self.doctorId = doctorId
        self.start = start
        self.end = end
        self.slotMinutes = slotMinutes
    }

    public var range: TimeRange { TimeRange(start: start, end: end) }
    public var slotLength: TimeInterval { TimeInterval(slotMinutes * 60) }

    /// Every slot of the window, in order.
    public var slots: [TimeRange] {
        stride(from: start.timeIntervalSince1970, to: end.timeIntervalSince1970, by: slotLength).map {
            TimeRange(start: Date(timeIntervalSince1970: $0), end: Date(timeIntervalSince1970: $0 + slotLength))
        }
    }
}
