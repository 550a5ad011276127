import Crypto
import Foundation

/// The checksum of a client's scope (CONTRACT.md §9.6; the algorithm is in docs/sync.md "Pull
/// checksums"): per entity, the XOR of a 64-bit hash of each row, so that it can be kept up to
/// date one row at a time, whatever order rows come in. Written as one 16-digit lower-case hex
/// sum per entity, in ``entities`` order, so a client that differs learns which entities do.
public struct ScopeChecksum: Sendable, Equatable, CustomStringConvertible {
    /// The order of the sums in the hex form.
    public static let entities = ["doctor", "availability", "appointment", "penalty", "patient", "busy"]

    /// Each entity's sum, by name; a missing entity sums to 0.
    public private(set) var sums: [String: UInt64] = [:]

    public init() {}

    /// Reads the hex form; nil when it is not one.
    public init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count == Self.entities.count * 16 else { return nil }
        for (index, entity) in Self.entities.enumerated() {
            guard let sum = UInt64(String(decoding: digits[index * 16..<(index + 1) * 16], as: UTF8.self), radix: 16),
                hex.lowercased() == hex
            else { return nil }
            if sum != 0 { sums[entity] = sum }
        }
    }

    /// The first 8 bytes, big-endian, of SHA-256 over `entity`, a line feed, `id`, a line feed and
    /// the row's canonical JSON (`CanonicalJSON`).
    public static func rowHash(entity: String, id: String, canonicalRow: some DataProtocol) -> UInt64 {
        var hasher = SHA256()
        hasher.update(data: Data("\(entity)\n\(id)\n".utf8))
        hasher.update(data: canonicalRow)
        return hasher.finalize().prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }

    public static func rowHash(entity: String, id: String, row: JSONValue) -> UInt64 {
        rowHash(entity: entity, id: id, canonicalRow: CanonicalJSON.data(row))
    }

    /// Adds a row's hash to its entity's sum, or takes it out again (XOR is its own inverse).
    public mutating func toggle(entity: String, hash: UInt64) {
        let sum = (sums[entity] ?? 0) ^ hash
        sums[entity] = sum == 0 ? nil : sum
    }

    /// The entities whose sums differ between the two.
    public func entities(differingFrom other: ScopeChecksum) -> [String] {
        Self.entities.filter { (sums[$0] ?? 0) != (other.sums[$0] ?? 0) }
    }

    public var hex: String {
        Self.entities.map { entity in
            let digits = String(sums[entity] ?? 0, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }.joined()
    }

    public var description: String { hex }
}
