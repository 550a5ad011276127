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

    /// `format(date)`'s bytes, written without a formatter for the years 1970 to 9999 (every time
    /// this system stores); any other goes through `format`.
    public static func write(_ date: Date, into bytes: inout [UInt8]) {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        guard seconds >= 0, seconds < 253_402_300_800 else {
            bytes.append(contentsOf: format(date).utf8)
            return
        }
        let (days, time) = Int(seconds).quotientAndRemainder(dividingBy: 86_400)
        // the civil date of a day count (Howard Hinnant's `civil_from_days`, days from 1970-01-01)
        let shifted = days + 719_468
        let era = shifted / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func digits(_ value: Int, _ count: Int) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                divisor /= 10
            }
        }
        digits(year, 4)
        bytes.append(UInt8(ascii: "-"))
        digits(month, 2)
        bytes.append(UInt8(ascii: "-"))
        digits(day, 2)
        bytes.append(UInt8(ascii: "T"))
        digits(time / 3600, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(time / 60 % 60, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(time % 60, 2)
        bytes.append(UInt8(ascii: "Z"))
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
