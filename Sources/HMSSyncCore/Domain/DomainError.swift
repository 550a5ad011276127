/// A value in an error's `details` object: the contract uses strings (`field`, `from`, `to`),
/// numbers (`expected`, `id`) and lists of numbers (`supported`).
public enum ErrorDetail: Sendable, Equatable, Codable {
    case string(String)
    case int(Int)
    case ints([Int])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let int = try? container.decode(Int.self) {
            self = .int(int)
        } else if let ints = try? container.decode([Int].self) {
            self = .ints(ints)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .ints(let values): try container.encode(values)
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
}
