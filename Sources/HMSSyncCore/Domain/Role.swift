/// The three kinds of user (CONTRACT.md §2).
public enum Role: String, Codable, Sendable, CaseIterable {
    case admin
    case doctor
    case patient
}

/// Who is acting: the identity the server took from a token, or the replica's signed-in user.
public struct Actor: Sendable, Equatable {
    public let userId: String
    public let role: Role

    public init(userId: String, role: Role) {
        self.userId = userId
        self.role = role
    }
}
