import Foundation
import HMSSyncCore

/// The per-user key store: one file of 32 random bytes per replica, named by the replica's id,
/// in `$XDG_DATA_HOME/hms-sync/keys` (else `~/.local/share/hms-sync/keys`), away from the
/// replica's folder. The folder is 0700 and each file 0600; a file others may read is refused.
struct KeyStore {
    let folder: String

    init(environment: [String: String]) {
        var base = environment["XDG_DATA_HOME"] ?? ""
        // the XDG spec says a relative XDG_DATA_HOME is to be ignored
        if !base.hasPrefix("/") {
            // $HOME first, as the XDG spec says (Foundation's home on Linux comes from the user database)
            let home = environment["HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? NSHomeDirectory()
            base = (home as NSString).appendingPathComponent(".local/share")
        }
        folder = (base as NSString).appendingPathComponent("hms-sync/keys")
    }

    /// The key file of a replica.
    func path(of replicaId: String) throws -> String {
        // the id comes from the replica file: never let it name a path outside the store
        guard let uuid = UUID(uuidString: replicaId), uuid.uuidString.lowercased() == replicaId else {
            throw CLIFailure.usage("the replica's id is not a UUID; the file is not an hms-sync replica")
        }
        return (folder as NSString).appendingPathComponent("\(replicaId).key")
    }

    /// The replica's key: read from its file, or made once for a replica that no key seals yet.
    func key(for request: ReplicaKeyRequest) throws -> ReplicaKey {
        let path = try path(of: request.replicaId)
        if let key = try existingKey(at: path) { return key }
        guard !request.isSealed else {
            throw CLIFailure.usage(
                "no key for this replica: \(path) is missing; give the replica's key in HMS_REPLICA_KEY")
        }
        return try newKey(at: path)
    }

    /// The key in `path`, or nil when there is no such file.
    private func existingKey(at path: String) throws -> ReplicaKey? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw CLIFailure.usage("cannot read the replica key file \(path) (errno \(errno))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & 0o170000 == 0o100000, info.st_uid == getuid() else {
            throw CLIFailure.usage("the replica key file \(path) is not a regular file of this user")
        }
        guard info.st_mode & 0o077 == 0 else {
            throw CLIFailure.usage("the replica key file \(path) may be read by others; `chmod 600` it")
        }
        var bytes = [UInt8](repeating: 0, count: ReplicaKey.byteCount + 1)
        let count = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count == ReplicaKey.byteCount else {
            throw CLIFailure.usage("the replica key file \(path) does not hold a key of 32 bytes")
        }
        return try ReplicaKey(bytes: bytes.prefix(ReplicaKey.byteCount))
    }

    /// Makes a new key file. It is written whole under a temporary name (O_EXCL, 0600), made
    /// durable, then linked into place, which fails if another process got there first: then
    /// that process's key is the one.
    private func newKey(at path: String) throws -> ReplicaKey {
        try makeFolder()
        let key = ReplicaKey.random()
        let temporary = "\(path).\(UUID().uuidString.prefix(8)).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CLIFailure.usage("cannot create a replica key file in \(folder) (errno \(errno))") }
        defer { unlink(temporary) }
        let written = key.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == ReplicaKey.byteCount, synced else { throw CLIFailure.usage("cannot write a replica key file in \(folder)") }
        if link(temporary, path) != 0 {
            guard errno == EEXIST, let theirs = try existingKey(at: path) else {
                throw CLIFailure.usage("cannot create the replica key file \(path) (errno \(errno))")
            }
            return theirs
        }
        syncFolder()
        return key
    }

    /// Creates the store's folders, 0700, and narrows the key folder to 0700 if it was wider.
    private func makeFolder() throws {
        let parent = (folder as NSString).deletingLastPathComponent
        for path in [parent, folder] where !FileManager.default.fileExists(atPath: path) {
            try? FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        guard chmod(folder, 0o700) == 0 else { throw CLIFailure.usage("cannot create the replica key folder \(folder)") }
    }

    /// The key file's name is durable before anything is sealed with it.
    private func syncFolder() {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}
