/// `GET /v1/clinic`: the clinic's name and the time zone its dates are in.
public struct Clinic: Codable, Sendable, Equatable {
    public let name: String
    public let timeZone: String

    public init(name: String, timeZone: String) {
        self.name = name
        self.timeZone = timeZone
    }
}
