import Foundation

/// Times on the wire (CONTRACT.md §1): any valid RFC 3339 time is read; UTC with whole seconds
/// and a `Z` is written.
public enum RFC3339 {
    private static let style = Date.ISO8601FormatStyle()

    /// The instant, or nil when `text` is not an RFC 3339 time with a zone.
    public static func parse(_ text: String) -> Date? {
        try? style.parse(text.uppercased()).wholeSeconds
    }

    public static func format(_ date: Date) -> String {
        date.wholeSeconds.formatted(style)
    }

    /// A decoder that reads contract times and reports the bad field by name.
    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an RFC 3339 time")
            }
            return date
        }
        return decoder
    }

    /// An encoder that writes contract times; keys sorted so equal values give equal bytes.
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(format(date))
        }
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
