import Foundation
import GRDB

/// The device's SQLite replica: the server's rows, the outbox of intents, the rejections and
/// the sync state, in one file. Every change is one transaction with `synchronous = FULL`, so a
/// crash or power loss never loses a recorded intent. Names, emails, clinical text, intents,
/// rejections and tokens are sealed with the replica's key (docs/replica-encryption.md).
public final class Replica: Sendable {
    let queue: DatabaseQueue
    let cipher: ReplicaCipher

    /// Opens (or creates and migrates) the replica at `path`, sealed with `key`.
    /// - Throws: `ReplicaKeyError.wrongKey` when the replica was sealed with another key.
    public convenience init(path: String, key: ReplicaKey) throws {
        try self.init(path: path) { _ in key }
    }

    /// Opens (or creates and migrates) the replica at `path`; `keyFor` is asked once for its key,
    /// told the replica's id and whether a key already seals it (else it may make a new one).
    /// A replica written before encryption is sealed with that key on this first open.
    /// - Throws: `ReplicaKeyError.wrongKey` when the replica was sealed with another key, or
    ///   what `keyFor` throws.
    public init(path: String, keyFor: (ReplicaKeyRequest) throws -> ReplicaKey) throws {
        try PrivateFiles.prepareDatabase(at: path)
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA secure_delete = ON")
        }
        queue = try DatabaseQueue(path: path, configuration: configuration)
        cipher = try ReplicaSealing.unlock(queue, keyFor: keyFor)
    }
}
