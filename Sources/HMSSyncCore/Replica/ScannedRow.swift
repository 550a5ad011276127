import Foundation

/// A pulled row object as `JSONScanner` found it: where its bytes lie, whether they already are
/// canonical (`CanonicalJSON`: no whitespace, ASCII keys in byte order at every level, no
/// escape, integers written plainly), and its top-level string members.
struct ScannedRow {
    let range: Range<Int>
    let isCanonical: Bool
    let strings: [String: String]

    /// Reads the object at the scanner's position.
    init(_ scanner: inout JSONScanner) throws {
        _ = try scanner.peek()
        let start = scanner.index
        var strings: [String: String] = [:]
        isCanonical = try Self.object(&scanner, depth: 0) { key, text in strings[key] = text }
        range = start..<scanner.index
        self.strings = strings
    }

    /// Whether the next byte is a token's, with no whitespace before it (canonical bytes have none).
    private static func tight(_ scanner: JSONScanner) -> Bool {
        guard scanner.index < scanner.bytes.count else { return false }
        switch scanner.bytes[scanner.index] {
        case 0x20, 0x0A, 0x0D, 0x09: return false
        default: return true
        }
    }

    /// Reads an object, answering whether its bytes are canonical; `member` gets each member's
    /// key and, for a string, its text (nil for any other value).
    private static func object(
        _ scanner: inout JSONScanner, depth: Int, member: (String, String?) -> Void = { _, _ in }
    ) throws -> Bool {
        guard depth < scanner.depthLimit else { throw JSONScanner.Malformed() }
        var canonical = true
        var previousKey: Range<Int>?
        try scanner.expect(UInt8(ascii: "{"))
        if !tight(scanner) { canonical = false }
        if try scanner.take(UInt8(ascii: "}")) { return canonical }
        repeat {
            if !tight(scanner) { canonical = false }
            let keyToken = try scanner.string()
            guard let key = scanner.text(of: keyToken) else { throw JSONScanner.Malformed() }
            // a non-ASCII key goes the long way: Swift's dictionaries merge keys that are
            // canonically equivalent (a precomposed letter and its decomposed spelling)
            if keyToken.escaped || scanner.bytes[keyToken.range].contains(where: { $0 >= 0x80 }) { canonical = false }
            if let previousKey, !scanner.bytes[previousKey].lexicographicallyPrecedes(scanner.bytes[keyToken.range]) {
                canonical = false
            }
            previousKey = keyToken.range
            if !tight(scanner) { canonical = false }
            try scanner.expect(UInt8(ascii: ":"))
            if !tight(scanner) { canonical = false }
            let (valueCanonical, text) = try value(&scanner, depth: depth)
            if !valueCanonical { canonical = false }
            member(key, text)
            if !tight(scanner) { canonical = false }
        } while try scanner.take(UInt8(ascii: ","))
        try scanner.expect(UInt8(ascii: "}"))
        return canonical
    }

    /// Reads any value, answering whether its bytes are canonical, and a string's text.
    private static func value(_ scanner: inout JSONScanner, depth: Int) throws -> (canonical: Bool, text: String?) {
        switch try scanner.peek() {
        case UInt8(ascii: "\""):
            let token = try scanner.string()
            guard let text = scanner.text(of: token) else { throw JSONScanner.Malformed() }
            return (!token.escaped, text)
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            _ = try scanner.literal()
            return (true, nil)
        case UInt8(ascii: "{"):
            return (try object(&scanner, depth: depth + 1), nil)
        case UInt8(ascii: "["):
            guard depth + 1 < scanner.depthLimit else { throw JSONScanner.Malformed() }
            var canonical = true
            try scanner.expect(UInt8(ascii: "["))
            if !tight(scanner) { canonical = false }
            if try scanner.take(UInt8(ascii: "]")) { return (canonical, nil) }
            repeat {
                if !tight(scanner) { canonical = false }
                if try !value(&scanner, depth: depth + 1).canonical { canonical = false }
                if !tight(scanner) { canonical = false }
            } while try scanner.take(UInt8(ascii: ","))
            try scanner.expect(UInt8(ascii: "]"))
            return (canonical, nil)
        default:
            return (isPlainInteger(scanner.bytes[try scanner.number()]), nil)
        }
    }

    /// Whether `digits` is an integer as the canonical writer writes it: `-?(0|[1-9][0-9]*)`,
    /// not `-0`, and short enough to be exact in a double.
    static func isPlainInteger(_ digits: ArraySlice<UInt8>) -> Bool {
        var body = digits
        if body.first == UInt8(ascii: "-") { body = body.dropFirst() }
        guard let first = body.first, body.count <= 15, body.allSatisfy({ (0x30...0x39).contains($0) }) else { return false }
        if first == UInt8(ascii: "0") { return body.count == 1 && digits.count == 1 }
        return true
    }

    /// The row to store: its bytes as they came when they are canonical, else read and written
    /// again; nil when it holds no string `id`. Bytes that are not UTF-8 are not a pull answer.
    func pulledRow(entity: String, in bytes: [UInt8]) throws -> PulledPage.Row? {
        if isCanonical {
            guard let id = strings["id"] else { return nil }
            guard let json = String(validating: bytes[range], as: UTF8.self) else { throw JSONScanner.Malformed() }
            return PulledPage.Row(
                entity: entity, id: id, json: json, columns: IndexedColumns(entity: entity, id: id) { strings[$0] })
        }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(bytes[range]))) as? [String: Any] else {
            throw JSONScanner.Malformed()
        }
        guard let id = object["id"] as? String else { return nil }
        let json = try CanonicalJSON.data(foundation: object)
        return PulledPage.Row(
            entity: entity, id: id, json: String(decoding: json, as: UTF8.self),
            columns: IndexedColumns(entity: entity, id: id) { object[$0] as? String })
    }
}

extension JSONScanner {
    /// The next value's text when it is a string; any other value is passed over (nil).
    mutating func stringValue() throws -> String? {
        guard try peek() == UInt8(ascii: "\"") else {
            try skipValue()
            return nil
        }
        guard let text = text(of: try string()) else { throw Malformed() }
        return text
    }

    /// Whether the next value is `true`; any other value is passed over (false).
    mutating func isTrue() throws -> Bool {
        switch try peek() {
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"): return try literal() == true
        default:
            try skipValue()
            return false
        }
    }

    /// The next value as an integer when it is a number (a fraction is cut off); nil otherwise.
    mutating func intValue() throws -> Int? {
        switch try peek() {
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            guard let value = Double(String(decoding: bytes[try number()], as: UTF8.self)) else { throw Malformed() }
            return value.isFinite && abs(value) < 9.2e18 ? Int(value) : nil
        default:
            try skipValue()
            return nil
        }
    }
}
