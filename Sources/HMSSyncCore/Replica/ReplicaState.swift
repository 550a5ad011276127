import Foundation
import GRDB

/// Keys of the replica's `state` table.
enum StateKey: String {
    case server, user, accessToken, refreshToken, clientId, nextMutationId, cursor, lastMutationId, lastSyncAt
    case clinicTimeZone, clinicName
    /// Recovery after a server restore (CONTRACT.md §9.9): intents sent again, ever; when last;
    /// and that the next pulled page must replace the server rows (a reset the client asked for).
    case recovered, lastRecoveryAt, resetPending
    /// Divergence repair (CONTRACT.md §9.6): repairs done, ever; when last; and the entities a
    /// repair pull under way is re-reading, comma-separated.
    case repairs, lastRepairAt, repairEntities
    /// The replica's own checksum kept between syncs (sealed), the `view_version.rows` count it
    /// is right at, and when it was last computed from every row.
    case checksum, checksumRows, checksumFullAt

    /// Kept sealed (the user's name and email, the tokens, the checksum); the rest is in clear.
    var isSealed: Bool {
        switch self {
        case .user, .accessToken, .refreshToken, .checksum: true
        default: false
        }
    }

}

extension Database {
    /// A clear value.
    func state(_ key: StateKey) throws -> String? {
        precondition(!key.isSealed, "state '\(key.rawValue)' is sealed: read it with state(_:_:)")
        return try String.fetchOne(self, sql: "SELECT value FROM state WHERE key = ?", arguments: [key.rawValue])
    }

    /// Sets a clear value, or removes any value (sealed ones too) when `value` is nil.
    func setState(_ key: StateKey, _ value: String?) throws {
        if let value {
            precondition(!key.isSealed, "state '\(key.rawValue)' is sealed: write it with setState(_:sealing:_:)")
            try execute(sql: "INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)", arguments: [key.rawValue, value])
        } else {
            try execute(sql: "DELETE FROM state WHERE key = ?", arguments: [key.rawValue])
        }
    }

    /// A sealed value, opened.
    func state(_ key: StateKey, _ cipher: ReplicaCipher) throws -> String? {
        guard let sealed = try Data.fetchOne(self, sql: "SELECT value FROM state WHERE key = ?", arguments: [key.rawValue])
        else { return nil }
        return try cipher.openText(sealed, at: .state(key))
    }

    /// Seals and sets a value.
    func setState(_ key: StateKey, sealing value: String, _ cipher: ReplicaCipher) throws {
        try execute(
            sql: "INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)",
            arguments: [key.rawValue, try cipher.seal(value, at: .state(key))])
    }

    /// The user last signed in (kept after sign-out), opened and decoded.
    func storedUser(_ cipher: ReplicaCipher) throws -> User? {
        try state(.user, cipher).flatMap { try? JSONDecoder().decode(User.self, from: Data($0.utf8)) }
    }
}
