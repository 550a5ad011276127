/// A value in an error's `details` object: the contract uses strings (`field`, `from`, `to`),
/// numbers (`expected`, `id`), lists of numbers (`supported`) and slots (`alternatives`).
public enum ErrorDetail: Sendable, Equatable, Codable {
    case string(String)
    case int(Int)
    case ints([Int])
    case slots([AlternativeSlot])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let int = try? container.decode(Int.self) {
            self = .int(int)
        } else if let ints = try? container.decode([Int].self) {
            self = .ints(ints)
        } else if let slots = try? container.decode([AlternativeSlot].self) {
            self = .slots(slots)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    /// The slots of an `alternatives` detail. An empty list decodes as `.ints([])` (JSON can't
    /// tell), so it reads as no slots here.
    public var slots: [AlternativeSlot]? {
        switch self {
        case .slots(let slots): slots
        case .ints(let values) where values.isEmpty: []
        default: nil
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .ints(let values): try container.encode(values)
        case .slots(let slots): try container.encode(slots)
        }
    }
}

/// A broken rule, carrying the contract's code. Messages are for people and never hold
/// patient data, SQL or secrets.
public struct DomainError: Error, Sendable, Equatable, CustomStringConvertible {
    public let code: ErrorCode
    public let message: String
    public let details: [String: ErrorDetail]

    public init(_ code: ErrorCode, _ message: String, details: [String: ErrorDetail] = [:]) {
        self.code = code
        self.message = message
        self.details = details
    }

    public var description: String { "\(code.rawValue): \(message)" }

    /// `400 VALIDATION` naming the offending field in `details.field`.
    public static func validation(field: String, _ message: String) -> DomainError {
        DomainError(.validation, message, details: ["field": .string(field)])
    }

    public static func notFound(_ what: String) -> DomainError {
        DomainError(.notFound, "\(what) not found")
    }

    public static let forbidden = DomainError(.forbidden, "your role may not do this")

    /// This refusal with `details.alternatives` (CONTRACT.md §9.2).
    public func offering(_ alternatives: [TimeRange]) -> DomainError {
        var details = self.details
        details[AlternativeSlots.detailKey] = .slots(alternatives.map(AlternativeSlot.init))
        return DomainError(code, message, details: details)
    }

    /// The slots offered in `details.alternatives`; empty when there are none.
    public var alternatives: [AlternativeSlot] {
        details[AlternativeSlots.detailKey]?.slots ?? []
    }
}
