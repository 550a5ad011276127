import Foundation

/// The sync protocol's version of intents and rows that this code speaks (CONTRACT.md §6).
public enum SyncProtocol {
    public static let schemaVersion = 1
    public static let maxMutationsPerPush = 500
    public static let defaultPullLimit = 1_000
    public static let maxPullLimit = 5_000
}

/// One recorded intent as it travels: `{id, name, args, clientTime}`.
public struct Mutation: Codable, Sendable, Equatable {
    public let id: Int
    public let name: String
    public let args: JSONValue
    public let clientTime: Date?

    public init(id: Int, name: String, args: JSONValue, clientTime: Date?) {
        self.id = id
        self.name = name
        self.args = args
        self.clientTime = clientTime
    }

    private enum CodingKeys: String, CodingKey { case id, name, args, clientTime }

    /// `clientTime` is only recorded, so an unreadable one (a device's odd clock) is dropped
    /// instead of refusing the whole push.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(Int.self, forKey: .id)
        name = try container.decode(String.self, forKey: .name)
        args = try container.decode(JSONValue.self, forKey: .args)
        clientTime = (try? container.decodeIfPresent(String.self, forKey: .clientTime)).flatMap { $0.flatMap(RFC3339.parse) }
    }
}

/// `POST /v1/sync/push`.
public struct PushRequest: Codable, Sendable {
    public let clientId: String
    public let schemaVersion: Int?
    public let mutations: [Mutation]

    public init(clientId: String, schemaVersion: Int?, mutations: [Mutation]) {
        self.clientId = clientId
        self.schemaVersion = schemaVersion
        self.mutations = mutations
    }
}

/// How the server handled one mutation.
public struct MutationResult: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable { case applied, rejected }

    public let id: Int
    public let status: Status
    public let code: String?
    public let message: String?
    /// The refusal's details when it has any (`alternatives` of a `SLOT_TAKEN`, CONTRACT.md §9.2).
    public let details: [String: ErrorDetail]?

    public init(id: Int, status: Status, code: String? = nil, message: String? = nil, details: [String: ErrorDetail]? = nil) {
        self.id = id
        self.status = status
        self.code = code
        self.message = message
        self.details = details
    }

    /// The result of a mutation a rule refused.
    public init(id: Int, refusal: DomainError) {
        self.init(id: id, status: .rejected, code: refusal.code.rawValue, message: refusal.message,
                  details: refusal.details.isEmpty ? nil : refusal.details)
    }
}

/// The push answer: the client's `lastMutationId` and a result per handled mutation.
public struct PushResponse: Codable, Sendable, Equatable {
    public let lastMutationId: Int
    public let results: [MutationResult]

    public init(lastMutationId: Int, results: [MutationResult]) {
        self.lastMutationId = lastMutationId
        self.results = results
    }
}
