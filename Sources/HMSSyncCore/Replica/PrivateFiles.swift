import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Files private to their user: a folder this code creates is 0700, and a SQLite database with
/// its `-wal`, `-shm` and `-journal` files is 0600. Used for the server's database and the
/// CLI's replica alike.
package enum PrivateFiles {
    /// Creates `folder` when it is missing: its parents as usual, the folder itself 0700.
    /// An existing folder keeps its mode: it may be shared (`/tmp`, a home folder), and it is
    /// not this code's to change.
    package static func makeFolder(_ folder: String) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) { return }
        let parent = (folder as NSString).deletingLastPathComponent
        if !parent.isEmpty {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        }
        guard mkdir(folder, 0o700) == 0 || errno == EEXIST else { throw lastError() }
        // chmod after mkdir: the umask may have taken bits off 0700
        guard chmod(folder, 0o700) == 0 else { throw lastError() }
    }

    /// Run before SQLite opens `path`: makes its folder (see `makeFolder`), creates the database
    /// file 0600 when it is missing, and sets 0600 on the database and its side files that
    /// exist. SQLite gives the `-wal` and `-shm` files it creates later the database file's
    /// mode, so they are 0600 as well.
    package static func prepareDatabase(at path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try makeFolder(folder) }
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd >= 0 {
            close(fd)
        } else if errno != EEXIST {
            throw lastError()
        }
        for suffix in ["", "-wal", "-shm", "-journal"] where FileManager.default.fileExists(atPath: path + suffix) {
            guard chmod(path + suffix, 0o600) == 0 else { throw lastError() }
        }
    }

    /// The error `errno` holds now.
    private static func lastError() -> POSIXError {
        POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
    }

    /// The permission bits of `path` (following links), or nil when it does not exist.
    package static func mode(of path: String) -> Int? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int(info.st_mode) & 0o7777
    }
}
