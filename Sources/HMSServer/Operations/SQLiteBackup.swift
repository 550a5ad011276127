import Foundation
import GRDB
import HMSSyncCore

/// An online, verified copy of the embedded database (CONTRACT.md §9.9): `VACUUM INTO` reads one
/// consistent snapshot while the server goes on writing (WAL readers never block the writer), into
/// a private file beside the target; the copy must pass `PRAGMA integrity_check`, gets a new
/// history epoch, and only then takes the target's name. A failure leaves no partial file.
enum SQLiteBackup {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    struct Report: Sendable {
        let bytes: Int64
        let seconds: Double
    }

    static func copy(from source: String, to target: String, replacing: Bool) throws -> Report {
        let started = Date()
        let files = FileManager.default
        guard files.fileExists(atPath: source) else { throw Failure(description: "no database at \(source)") }
        if files.fileExists(atPath: target), !replacing {
            throw Failure(description: "\(target) exists; give --force to replace it")
        }
        let folder = (target as NSString).deletingLastPathComponent
        let partial = (folder.isEmpty ? "." : folder) + "/.hms-backup-" + RandomID.make()
        defer { for suffix in ["", "-wal", "-shm", "-journal"] { try? files.removeItem(atPath: partial + suffix) } }
        // an empty 0600 file first: VACUUM INTO fills an empty file and keeps its mode
        try PrivateFiles.prepareDatabase(at: partial)
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.readonly = true
        let live = try DatabaseQueue(path: source, configuration: configuration)
        try live.inDatabase { db in try db.execute(sql: "VACUUM INTO ?", arguments: [partial]) }
        try live.close()
        try stamp(partial)
        if replacing, files.fileExists(atPath: target) { try files.removeItem(atPath: target) }
        try files.moveItem(atPath: partial, toPath: target)
        let bytes = (try files.attributesOfItem(atPath: target)[.size] as? NSNumber)?.int64Value ?? 0
        return Report(bytes: bytes, seconds: Date().timeIntervalSince(started))
    }

    /// Gives the copy a new history epoch (its `databaseId`, which pull cursors carry), so a
    /// restored server answers every cursor it handed out after the copy with `reset: true`
    /// instead of reusing their positions; then checks the whole file.
    private static func stamp(_ path: String) throws {
        let copy = try DatabaseQueue(path: path)
        defer { try? copy.close() }
        try copy.write { db in
            try db.execute(
                sql: "UPDATE meta SET value = ? WHERE key = 'databaseId'",
                arguments: [RandomID.make().replacingOccurrences(of: "-", with: "")])
        }
        let verdict = try copy.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        guard verdict == ["ok"] else {
            throw Failure(description: "the copy failed its integrity check: \(verdict.prefix(3).joined(separator: "; "))")
        }
        // the copy is one self-contained file: no -wal to carry along
        try copy.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
    }
}
