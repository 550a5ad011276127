import Foundation

/// Writes JSON in `CanonicalJSON`'s form straight from typed values, with no encoder and no
/// intermediate tree: the server writes every row it hashes and every pull page this way. The
/// caller gives an object's keys in UTF-8 byte order, as plain ASCII that needs no escape;
/// `CanonicalWriterTests` holds each row type to `CanonicalJSON.data(encoding:)`.
public struct CanonicalWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    /// Whether the next value or key follows another in the same object or array.
    private var follows = false

    public init(capacity: Int = 512) {
        bytes.reserveCapacity(capacity)
    }

    public mutating func openObject() { open(UInt8(ascii: "{")) }
    public mutating func closeObject() { close(UInt8(ascii: "}")) }
    public mutating func openArray() { open(UInt8(ascii: "[")) }
    public mutating func closeArray() { close(UInt8(ascii: "]")) }

    /// An object's key; the next call writes its value.
    public mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        follows = false
    }

    public mutating func string(_ text: String) {
        separate()
        CanonicalJSON.write(text, into: &bytes)
        follows = true
    }

    public mutating func string(_ text: String?) {
        if let text { string(text) } else { null() }
    }

    public mutating func int(_ value: Int) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
        follows = true
    }

    public mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: value ? Self.trueBytes : Self.falseBytes)
        follows = true
    }

    public mutating func null() {
        separate()
        bytes.append(contentsOf: Self.nullBytes)
        follows = true
    }

    /// A time as the contract writes it (`RFC3339.format`): UTC, whole seconds, `Z`.
    public mutating func date(_ date: Date) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        RFC3339.write(date, into: &bytes)
        bytes.append(UInt8(ascii: "\""))
        follows = true
    }

    private mutating func open(_ bracket: UInt8) {
        separate()
        bytes.append(bracket)
        follows = false
    }

    private mutating func close(_ bracket: UInt8) {
        bytes.append(bracket)
        follows = true
    }

    private mutating func separate() {
        if follows { bytes.append(UInt8(ascii: ",")) }
    }

    private static let trueBytes = Array("true".utf8)
    private static let falseBytes = Array("false".utf8)
    private static let nullBytes = Array("null".utf8)
}

/// A row a pull sends and a checksum hashes, written in canonical form by hand.
public protocol CanonicalRow: Encodable, Sendable {
    func write(to writer: inout CanonicalWriter)
}

extension CanonicalRow {
    /// The row's canonical bytes (`CanonicalJSON`).
    public var canonicalBytes: [UInt8] {
        var writer = CanonicalWriter(capacity: 384)
        write(to: &writer)
        return writer.bytes
    }
}
