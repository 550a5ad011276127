import Foundation
import GRDB

/// The device's SQLite replica: the server's rows, the outbox of intents, the rejections and
/// the sync state, in one file. Every change is one transaction with `synchronous = FULL`, so a
/// crash or power loss never loses a recorded intent.
public final class Replica: Sendable {
    let queue: DatabaseQueue

    /// Opens (or creates and migrates) the replica at `path`.
    public init(path: String) throws {
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
        }
        queue = try DatabaseQueue(path: path, configuration: configuration)
        try ReplicaSchema.migrator.migrate(queue)
    }
}
