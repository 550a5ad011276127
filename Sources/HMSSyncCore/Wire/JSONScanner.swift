/// A forward reader over JSON bytes that finds values without building them: where each value
/// starts and ends, and the text of the strings asked for. The pull reads its pages with it, so
/// a row's bytes can be kept as they came when they already are canonical (`CanonicalJSON`).
/// Anything that is not JSON throws `JSONScanner.Malformed`.
struct JSONScanner {
    struct Malformed: Error {}

    /// A string's bytes between its quotes, and whether they hold an escape.
    struct StringToken {
        let range: Range<Int>
        let escaped: Bool
    }

    let bytes: [UInt8]
    private(set) var index = 0
    /// How deep `skipValue` may go into arrays and objects.
    let depthLimit: Int

    init(_ bytes: [UInt8], depthLimit: Int, at index: Int = 0) {
        self.bytes = bytes
        self.depthLimit = depthLimit
        self.index = index
    }

    var isAtEnd: Bool { index >= bytes.count }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    /// The next byte after whitespace, not consumed.
    mutating func peek() throws(Malformed) -> UInt8 {
        skipWhitespace()
        guard index < bytes.count else { throw Malformed() }
        return bytes[index]
    }

    mutating func expect(_ byte: UInt8) throws(Malformed) {
        guard try peek() == byte else { throw Malformed() }
        index += 1
    }

    /// Consumes `byte` if it comes next; answers whether it did.
    mutating func take(_ byte: UInt8) throws(Malformed) -> Bool {
        guard try peek() == byte else { return false }
        index += 1
        return true
    }

    /// Reads a string token (the next value must be a string).
    mutating func string() throws(Malformed) -> StringToken {
        try expect(UInt8(ascii: "\""))
        let start = index
        var escaped = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return StringToken(range: start..<(index - 1), escaped: escaped)
            }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                index += 2
                continue
            }
            // a raw control character is not JSON
            if byte < 0x20 { throw Malformed() }
            index += 1
        }
        throw Malformed()
    }

    /// The text of a string token; nil when its bytes are not UTF-8 or an escape is bad.
    func text(of token: StringToken) -> String? {
        let raw = bytes[token.range]
        guard token.escaped else { return String(validating: raw, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = raw.startIndex
        while i < raw.endIndex {
            let byte = raw[i]
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                i += 1
                continue
            }
            guard i + 1 < raw.endIndex else { return nil }
            let code = raw[i + 1]
            i += 2
            switch code {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(code)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard var scalar = hex4(raw, at: i) else { return nil }
                i += 4
                if (0xD800..<0xDC00).contains(scalar) {
                    // a high surrogate must be followed by an escaped low one
                    guard i + 1 < raw.endIndex, raw[i] == UInt8(ascii: "\\"), raw[i + 1] == UInt8(ascii: "u"),
                        let low = hex4(raw, at: i + 2), (0xDC00..<0xE000).contains(low)
                    else { return nil }
                    i += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let unicode = Unicode.Scalar(scalar) else { return nil }
                out.append(contentsOf: Array(String(Character(unicode)).utf8))
            default:
                return nil
            }
        }
        return String(validating: out, as: UTF8.self)
    }

    private func hex4(_ raw: ArraySlice<UInt8>, at start: Int) -> UInt32? {
        guard start + 4 <= raw.endIndex else { return nil }
        var value: UInt32 = 0
        for byte in raw[start..<(start + 4)] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// Reads a number's bytes (the next value must be a number, in JSON's grammar:
    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`).
    mutating func number() throws(Malformed) -> Range<Int> {
        _ = try peek()
        let start = index
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count else { throw Malformed() }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            guard digits() > 0 else { throw Malformed() }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { throw Malformed() }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { throw Malformed() }
        }
        return start..<index
    }

    /// Reads a run of decimal digits, answering how many.
    private mutating func digits() -> Int {
        let start = index
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        return index - start
    }

    /// Reads `true`, `false` or `null`, answering which.
    mutating func literal() throws(Malformed) -> Bool? {
        let word: StaticString
        let value: Bool?
        switch try peek() {
        case UInt8(ascii: "t"): (word, value) = ("true", true)
        case UInt8(ascii: "f"): (word, value) = ("false", false)
        case UInt8(ascii: "n"): (word, value) = ("null", nil)
        default: throw Malformed()
        }
        let count = word.utf8CodeUnitCount
        guard bytes.count - index >= count else { throw Malformed() }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { throw Malformed() }
        index += count
        return value
    }

    /// Skips one value of any kind, answering where it lay.
    @discardableResult
    mutating func skipValue(depth: Int = 0) throws(Malformed) -> Range<Int> {
        let first = try peek()
        let start = index
        switch first {
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "{"):
            guard depth < depthLimit else { throw Malformed() }
            index += 1
            if try !take(UInt8(ascii: "}")) {
                repeat {
                    _ = try string()
                    try expect(UInt8(ascii: ":"))
                    try skipValue(depth: depth + 1)
                } while try take(UInt8(ascii: ","))
                try expect(UInt8(ascii: "}"))
            }
        case UInt8(ascii: "["):
            guard depth < depthLimit else { throw Malformed() }
            index += 1
            if try !take(UInt8(ascii: "]")) {
                repeat { try skipValue(depth: depth + 1) } while try take(UInt8(ascii: ","))
                try expect(UInt8(ascii: "]"))
            }
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"): _ = try literal()
        default: _ = try number()
        }
        return start..<index
    }

    /// Reads the members of an object, calling `member` with each key's text; `member` must
    /// consume the value.
    mutating func object(_ member: (inout JSONScanner, String) throws -> Void) throws {
        try expect(UInt8(ascii: "{"))
        if try take(UInt8(ascii: "}")) { return }
        repeat {
            guard let key = text(of: try string()) else { throw Malformed() }
            try expect(UInt8(ascii: ":"))
            try member(&self, key)
        } while try take(UInt8(ascii: ","))
        try expect(UInt8(ascii: "}"))
    }
}
