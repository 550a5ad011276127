import Foundation

/// Files private to their user: a folder this code creates is 0700, and a SQLite database with
/// its `-wal`, `-shm` and `-journal` files is 0600. Used for the server's database and the
/// CLI's replica alike. Foundation only (no libc), so the core builds for iOS and Android too.
package enum PrivateFiles {
    /// Creates `folder` when it is missing: its parents as usual, the folder itself 0700.
    /// An existing folder keeps its mode: it may be shared (`/tmp`, a home folder), and it is
    /// not this code's to change.
    package static func makeFolder(_ folder: String) throws {
        let files = FileManager.default
        if files.fileExists(atPath: folder) { return }
        let parent = (folder as NSString).deletingLastPathComponent
        if !parent.isEmpty {
            try files.createDirectory(atPath: parent, withIntermediateDirectories: true)
        }
        do {
            try files.createDirectory(atPath: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        } catch where files.fileExists(atPath: folder) {
            return  // another process made it first: theirs, as any existing folder
        }
        // set again: the umask may have taken bits off 0700
        try files.setAttributes([.posixPermissions: 0o700], ofItemAtPath: folder)
    }

    /// Run before SQLite opens `path`: makes its folder (see `makeFolder`), creates the database
    /// file 0600 when it is missing, and sets 0600 on the database and its side files that
    /// exist. SQLite gives the `-wal` and `-shm` files it creates later the database file's
    /// mode, so they are 0600 as well.
    package static func prepareDatabase(at path: String) throws {
        let files = FileManager.default
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try makeFolder(folder) }
        if !files.fileExists(atPath: path) { try createPrivately(path) }
        for suffix in ["", "-wal", "-shm", "-journal"] where files.fileExists(atPath: path + suffix) {
            try files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path + suffix)
        }
    }

    /// Creates an empty file at `path`, mode 0600, never readable by others for an instant and
    /// never replacing a file made meanwhile. Foundation creates a file with the umask's mode and
    /// sets the asked mode after, and one who opens the file in between keeps reading it later;
    /// so the file is made inside a fresh 0700 folder beside `path` (which no one else may
    /// enter once it is 0700) and then hard-linked into place, which fails if `path` exists.
    private static func createPrivately(_ path: String) throws {
        let files = FileManager.default
        let folder = (path as NSString).deletingLastPathComponent
        let staging = (folder.isEmpty ? "." : folder) + "/.hms-new-" + RandomID.make()
        try files.createDirectory(atPath: staging, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? files.removeItem(atPath: staging) }
        try files.setAttributes([.posixPermissions: 0o700], ofItemAtPath: staging)
        let fresh = staging + "/database"
        guard files.createFile(atPath: fresh, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown)
        }
        try files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: fresh)
        do {
            try files.linkItem(atPath: fresh, toPath: path)
        } catch where files.fileExists(atPath: path) {
            return  // another process made it first: it is tightened like any existing file
        }
    }

    /// The permission bits of `path` (following links), or nil when it does not exist.
    package static func mode(of path: String) -> Int? {
        let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        guard let value = (try? FileManager.default.attributesOfItem(atPath: target))?[.posixPermissions] else { return nil }
        // an NSNumber on Apple platforms, a Swift integer in swift-corelibs-foundation
        switch value {
        case let mode as Int: return mode & 0o7777
        case let mode as UInt16: return Int(mode) & 0o7777
        case let mode as NSNumber: return mode.intValue & 0o7777
        default: return nil
        }
    }
}
