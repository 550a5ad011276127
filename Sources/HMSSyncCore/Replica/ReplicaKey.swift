import Crypto
import Foundation

/// The replica's 256-bit data key. The replica never stores it: whoever opens the replica
/// supplies it each time (the CLI from `HMS_REPLICA_KEY` or its per-user key store; a mobile
/// app from the Keychain or the Android Keystore). See docs/replica-encryption.md.
public struct ReplicaKey: Sendable, CustomStringConvertible {
    /// The key's length in bytes.
    public static let byteCount = 32

    let symmetricKey: SymmetricKey

    /// A key of exactly 32 bytes; other lengths throw `ReplicaKeyError.malformedKey`.
    public init(bytes: some ContiguousBytes) throws {
        let count = bytes.withUnsafeBytes(\.count)
        guard count == Self.byteCount else { throw ReplicaKeyError.malformedKey }
        symmetricKey = SymmetricKey(data: bytes)
    }

    /// A key written as 64 hexadecimal digits, or as the base64 of 32 bytes (surrounding
    /// white space ignored); anything else throws `ReplicaKeyError.malformedKey`.
    public init(text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.utf8.count == 2 * Self.byteCount, let bytes = Self.hexBytes(trimmed) {
            try self.init(bytes: bytes)
        } else if let bytes = Data(base64Encoded: trimmed) {
            try self.init(bytes: bytes)
        } else {
            throw ReplicaKeyError.malformedKey
        }
    }

    private init(symmetricKey: SymmetricKey) {
        self.symmetricKey = symmetricKey
    }

    /// A new key from the system's secure random generator.
    public static func random() -> ReplicaKey {
        ReplicaKey(symmetricKey: SymmetricKey(size: .bits256))
    }

    /// The key's bytes, to keep it in a secret store. Never log or print them.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try symmetricKey.withUnsafeBytes(body)
    }

    /// Never the key itself, so a key that reaches a log or an error stays secret.
    public var description: String { "ReplicaKey(256 bits)" }

    private static func hexBytes(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count / 2)
        var high: UInt8?
        for character in text.utf8 {
            let nibble: UInt8
            switch character {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = character - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = character - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = character - UInt8(ascii: "A") + 10
            default: return nil
            }
            if let first = high {
                bytes.append(first << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return high == nil ? bytes : nil
    }
}

/// What a replica tells its key source when it opens, so the source can find (or make) the key.
public struct ReplicaKeyRequest: Sendable, Equatable {
    /// The replica's random id (a lowercase UUID), kept in clear in the replica to name its key
    /// in a key store. It is no secret.
    public let replicaId: String
    /// True when the replica already holds values sealed with a key: only that key opens it, so
    /// the source must find it. False for a new replica, or one written before encryption, which
    /// takes whichever key it is given.
    public let isSealed: Bool

    public init(replicaId: String, isSealed: Bool) {
        self.replicaId = replicaId
        self.isSealed = isSealed
    }
}
