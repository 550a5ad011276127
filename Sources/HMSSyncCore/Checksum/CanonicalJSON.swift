import Foundation

/// One byte form of a JSON value, so that two parties holding the same row hash the same bytes
/// whatever their encoders do (CONTRACT.md §9.6, docs/sync.md "Pull checksums"): no
/// whitespace; object keys sorted by their UTF-8 bytes; strings with `"` and `\` escaped, every
/// control character below U+0020 as `\u00xx` (lower-case hex) and everything else as its own
/// UTF-8; integral numbers as plain decimals; `true`, `false`, `null`.
public enum CanonicalJSON {
    public static func data(_ value: JSONValue) -> Data {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        write(value, into: &bytes)
        return Data(bytes)
    }

    /// The canonical bytes of a value as the contract's encoder writes it. That encoder sorts keys
    /// and leaves slashes and non-ASCII alone, so for rows of ASCII keys whose text needs no
    /// escape (no backslash in its output) its bytes already are canonical; otherwise they are
    /// read back and written here. The same holds for `JSONSerialization` with sorted keys.
    public static func data(encoding value: some Encodable) throws -> Data {
        try canonical(RFC3339.makeEncoder().encode(value))
    }

    /// `json` (an object with ASCII keys, sorted, without whitespace) as canonical bytes.
    public static func canonical(_ json: Data) throws -> Data {
        if !json.contains(UInt8(ascii: "\\")) { return json }
        return data(try JSONDecoder().decode(JSONValue.self, from: json))
    }

    /// The canonical bytes of what `JSONSerialization` read (its own sorted-keys writer orders keys
    /// case-insensitively, not by bytes). Booleans are told from numbers by their type code.
    static func data(foundation value: Any) throws -> Data {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512)
        try write(foundation: value, into: &bytes)
        return Data(bytes)
    }

    private static func write(foundation value: Any, into bytes: inout [UInt8]) throws {
        switch value {
        case let text as String: write(text, into: &bytes)
        case is NSNull: bytes += Array("null".utf8)
        case let number as NSNumber:
            switch String(cString: number.objCType) {
            case "c", "B": bytes += Array((number.boolValue ? "true" : "false").utf8)
            case "d", "f": bytes += Array(numberText(number.doubleValue).utf8)
            default: bytes += Array(String(number.int64Value).utf8)
            }
        case let values as [Any]:
            bytes.append(UInt8(ascii: "["))
            for (index, element) in values.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                try write(foundation: element, into: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case let members as [String: Any]:
            bytes.append(UInt8(ascii: "{"))
            for (index, key) in members.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                write(key, into: &bytes)
                bytes.append(UInt8(ascii: ":"))
                try write(foundation: members[key]!, into: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        default:
            throw DomainError(.internal, "a pulled row holds a value JSON does not have")
        }
    }

    static func write(_ value: JSONValue, into bytes: inout [UInt8]) {
        switch value {
        case .null: bytes += Array("null".utf8)
        case .bool(let flag): bytes += Array((flag ? "true" : "false").utf8)
        case .number(let number): bytes += Array(numberText(number).utf8)
        case .string(let text): write(text, into: &bytes)
        case .array(let values):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in values.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                write(element, into: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (index, key) in keys.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                write(key, into: &bytes)
                bytes.append(UInt8(ascii: ":"))
                write(members[key]!, into: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func write(_ text: String, into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        let utf8 = text.utf8
        if !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            bytes.append(contentsOf: utf8)
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(byte)
            case 0..<0x20:
                bytes += Array("\\u00".utf8)
                bytes.append(hexDigits[Int(byte >> 4)])
                bytes.append(hexDigits[Int(byte & 0xF)])
            default:
                bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Rows of schema version 1 hold only integers; any other number is written the shortest
    /// way that reads back to the same double.
    private static func numberText(_ number: Double) -> String {
        if number.rounded() == number, abs(number) < 9_007_199_254_740_992 { return String(Int64(number)) }
        return "\(number)"
    }
}
