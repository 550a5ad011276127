import Foundation

/// A slot offered instead of a taken one: `{start, end}` (CONTRACT.md §9.2). Its times are
/// written as contract text whatever encoder carries them, because stored push results and
/// error bodies are encoded by more than one encoder.
public struct AlternativeSlot: Codable, Sendable, Equatable, Hashable {
    public let start: Date
    public let end: Date

    public init(start: Date, end: Date) {
        self.start = start
        self.end = end
    }

    public init(_ range: TimeRange) {
        self.init(start: range.start, end: range.end)
    }

    private enum CodingKeys: String, CodingKey { case start, end }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func time(_ key: CodingKeys) throws -> Date {
            let text = try container.decode(String.self, forKey: key)
            guard let date = RFC3339.parse(text) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "not an RFC 3339 time")
            }
            return date
        }
        start = try time(.start)
        end = try time(.end)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(RFC3339.format(start), forKey: .start)
        try container.encode(RFC3339.format(end), forKey: .end)
    }
}
