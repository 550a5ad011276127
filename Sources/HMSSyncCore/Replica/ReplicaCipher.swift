import Crypto
import Foundation

/// Seals and opens the replica's private values (PHI and tokens) with AES-256-GCM: a fresh
/// random 96-bit nonce per value, and the value's place in the file as authenticated data, so a
/// sealed value copied to another row, column or table does not open there.
///
/// A sealed value is one BLOB: a format byte (1), the nonce, the ciphertext, the 16-byte tag.
/// One cipher serves a whole open replica; the key is never derived again per value.
struct ReplicaCipher: Sendable {
    private static let format: UInt8 = 1
    private let key: SymmetricKey

    init(key: ReplicaKey) {
        self.key = key.symmetricKey
    }

    func seal(_ plaintext: some DataProtocol, at place: SealedPlace) throws -> Data {
        guard let combined = try AES.GCM.seal(plaintext, using: key, authenticating: place.bytes).combined else {
            // only nonces of other than 12 bytes lack the combined form, and seal makes 12-byte ones
            throw ReplicaKeyError.damaged
        }
        var sealed = Data(capacity: 1 + combined.count)
        sealed.append(Self.format)
        sealed.append(combined)
        return sealed
    }

    func seal(_ text: String, at place: SealedPlace) throws -> Data {
        try seal(Data(text.utf8), at: place)
    }

    /// The plaintext, or `ReplicaKeyError.damaged` when the value was not sealed at `place`
    /// with this key (moved, altered, or never sealed).
    func open(_ sealed: Data, at place: SealedPlace) throws -> Data {
        guard sealed.first == Self.format,
            let box = try? AES.GCM.SealedBox(combined: sealed.dropFirst()),
            let plaintext = try? AES.GCM.open(box, using: key, authenticating: place.bytes)
        else { throw ReplicaKeyError.damaged }
        return plaintext
    }

    func openText(_ sealed: Data, at place: SealedPlace) throws -> String {
        String(decoding: try open(sealed, at: place), as: UTF8.self)
    }
}

/// Where a sealed value lives: table, column and the row's key, bound into its seal. Each part
/// is length-prefixed, so no two places share bytes.
struct SealedPlace {
    let bytes: Data

    private init(_ parts: String...) {
        var bytes = Data()
        for part in parts {
            let utf8 = Array(part.utf8)
            withUnsafeBytes(of: UInt32(utf8.count).bigEndian) { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: utf8)
        }
        self.bytes = bytes
    }

    /// `server_rows.json` of one pulled row.
    static func serverRow(entity: String, id: String) -> SealedPlace { SealedPlace("server_rows", "json", entity, id) }

    /// `overlay.json` of one appointment as the local view's replay left it.
    static func overlay(id: String) -> SealedPlace { SealedPlace("overlay", "json", id) }

    /// `state.value` of a sealed key (user, tokens).
    static func state(_ key: StateKey) -> SealedPlace { SealedPlace("state", "value", key.rawValue) }

    /// `intents.args`, by the intent's `seq` (its client id and mutation id can be renumbered).
    static func intentArgs(seq: Int64) -> SealedPlace { SealedPlace("intents", "args", String(seq)) }

    /// `journal.args` of one applied intent.
    static func journal(clientId: String, mutationId: Int) -> SealedPlace {
        SealedPlace("journal", "args", clientId, String(mutationId))
    }

    /// `rejections.args`, `rejections.message` or `rejections.alternatives`.
    static func rejection(_ column: RejectionColumn, clientId: String, mutationId: Int) -> SealedPlace {
        SealedPlace("rejections", column.rawValue, clientId, String(mutationId))
    }

    enum RejectionColumn: String { case args, message, alternatives }

    /// The key check in `meta`.
    static let keyCheck = SealedPlace("meta", "value", "keyCheck")
}
