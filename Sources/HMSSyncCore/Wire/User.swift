/// A user as the API shows it: `{id, name, email, role}`.
public struct User: Codable, Sendable, Equatable {
    public let id: String
    public let name: String
    public let email: String
    public let role: Role

    public init(id: String, name: String, email: String, role: Role) {
        self.id = id
        self.name = name
        self.email = email
        self.role = role
    }
}
