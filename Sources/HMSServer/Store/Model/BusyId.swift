import Crypto
import Foundation

/// The id a `busy` row goes by (CONTRACT.md §9.1): a lowercase UUID made from
/// HMAC-SHA256(key, appointment id), so callers can tell busy rows apart without learning
/// appointment ids. The key lives in the database (`meta.busyKey`), so every server on it and
/// every restart derive the same id.
enum BusyId {
    /// The `meta` key of the 32-byte secret, stored as lower-case hex.
    static let metaKey = "busyKey"

    /// The busy id of `appointmentId` under `key`: the HMAC's first 16 bytes as a UUID, with the
    /// version (8, "custom") and variant bits set so it reads as any other UUID.
    static func derive(appointmentId: String, key: SymmetricKey) -> String {
        var bytes = Array(HMAC<SHA256>.authenticationCode(for: Data(appointmentId.utf8), using: key).prefix(16))
        bytes[6] = (bytes[6] & 0x0f) | 0x80
        bytes[8] = (bytes[8] & 0x3f) | 0x80
        let uuid = UUID(uuid: (
            bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
            bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
        return uuid.uuidString.lowercased()
    }

    /// The key from its stored hex text, or nil when the text is not 32 bytes of hex.
    static func key(hex text: String) -> SymmetricKey? {
        let digits = Array(text.utf8)
        guard digits.count == 64 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for index in stride(from: 0, to: 64, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index...index + 1], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        return SymmetricKey(data: bytes)
    }
}
