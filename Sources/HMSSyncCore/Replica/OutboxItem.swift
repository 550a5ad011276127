import Foundation

/// A pending intent as `hms-sync outbox` shows it: `{mutationId, name, args, createdAt}`.
public struct OutboxItem: Codable, Sendable, Equatable {
    public let mutationId: Int
    public let name: String
    public let args: JSONValue
    public let createdAt: Date
}

/// A refused intent as `hms-sync rejections` shows it.
public struct Rejection: Codable, Sendable, Equatable {
    public let mutationId: Int
    public let name: String
    public let args: JSONValue
    public let code: String
    public let message: String
    public let rejectedAt: Date
    /// The slots a `SLOT_TAKEN` rejection offered (CONTRACT.md §9.2); empty for other codes.
    public let alternatives: [AlternativeSlot]
}

/// An appointment of the local view, marked when a pending change of this device shapes it.
public struct LocalAppointment: Codable, Sendable, Equatable {
    public let appointment: Appointment
    public let pending: Bool

    public init(appointment: Appointment, pending: Bool) {
        self.appointment = appointment
        self.pending = pending
    }

    private enum CodingKeys: String, CodingKey { case pending }

    public init(from decoder: any Decoder) throws {
        appointment = try Appointment(from: decoder)
        pending = try decoder.container(keyedBy: CodingKeys.self).decode(Bool.self, forKey: .pending)
    }

    public func encode(to encoder: any Encoder) throws {
        try appointment.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(pending, forKey: .pending)
    }
}
