/// A doctor: `{id, name, specialty, blacklisted}` in the directory; admins also get `email`.
public struct Doctor: Codable, Sendable, Equatable {
    public let id: String
    public let name: String
    public let email: String?
    public let specialty: String
    public let blacklisted: Bool

    public init(id: String, name: String, email: String?, specialty: String, blacklisted: Bool) {
        self.id = id
        self.name = name
        self.email = email
        self.specialty = specialty
        self.blacklisted = blacklisted
    }

    /// The directory entry, without the email.
    public var directoryEntry: Doctor {
        Doctor(id: id, name: name, email: nil, specialty: specialty, blacklisted: blacklisted)
    }
}
