/// Where an appointment is in its lifecycle (CONTRACT.md §4).
public enum AppointmentStatus: String, Codable, Sendable, CaseIterable {
    case booked = "BOOKED"
    case completed = "COMPLETED"
    case cancelled = "CANCELLED"
    case noShow = "NO_SHOW"

    /// Active appointments occupy their doctor's and their patient's time.
    public var isActive: Bool { self == .booked || self == .completed }

    /// The statuses that hold time, as stored strings (for SQL `IN (...)` lists).
    public static let activeRawValues = [booked.rawValue, completed.rawValue]
}
