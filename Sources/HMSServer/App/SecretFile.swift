import Foundation
import HMSSyncCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A secret made once and kept in the data folder, readable by its owner only (mode 0600).
/// It is written to a fresh file opened with `O_EXCL` and mode 0600 and then linked into
/// place, so it is never readable by others, never half-written, and two servers starting at
/// once agree on one secret. A kept file that group or others may access stops the start.
enum SecretFile {
    static func readOrCreate(folder: String, name: String) throws -> String {
        let path = (folder as NSString).appendingPathComponent(name)
        if let secret = try read(path) { return secret }
        do {
            try PrivateFiles.makeFolder(folder)
        } catch {
            throw ConfigError(setting: "HMS_JWT_SECRET", problem: "cannot create the data folder \(folder)")
        }
        let secret = TokenService.makeRefreshToken() + TokenService.makeRefreshToken()
        let temporary = path + ".new-\(UUID().uuidString.prefix(8))"
        defer { unlink(temporary) }
        guard create(temporary, holding: secret) else {
            throw ConfigError(setting: "HMS_JWT_SECRET", problem: "cannot write the secret file \(path)")
        }
        if link(temporary, path) != 0 {
            // another server made it first: use theirs
            guard errno == EEXIST, let theirs = try read(path) else {
                throw ConfigError(setting: "HMS_JWT_SECRET", problem: "cannot write the secret file \(path)")
            }
            return theirs
        }
        return secret
    }

    /// The kept secret, nil when there is none; refused when others may access the file.
    private static func read(_ path: String) throws -> String? {
        guard let mode = PrivateFiles.mode(of: path) else { return nil }
        guard mode & 0o077 == 0 else {
            throw ConfigError(
                setting: "HMS_JWT_SECRET",
                problem: "the secret file \(path) is open to group or others (mode \(String(mode, radix: 8))); "
                    + "run chmod 600 on it")
        }
        guard let existing = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigError(setting: "HMS_JWT_SECRET", problem: "cannot read the secret file \(path)")
        }
        let secret = existing.trimmingCharacters(in: .whitespacesAndNewlines)
        guard secret.utf8.count >= 32 else {
            throw ConfigError(setting: "HMS_JWT_SECRET", problem: "the kept secret in \(path) is shorter than 32 bytes")
        }
        return secret
    }

    /// Writes `secret` to a new file at `path` (`O_EXCL`, mode 0600) and syncs it to disk.
    private static func create(_ path: String, holding secret: String) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        // fchmod: the umask may have taken bits off 0600 (never added any)
        guard fchmod(fd, 0o600) == 0 else { return false }
        let bytes = Array(secret.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        return written == bytes.count && fsync(fd) == 0
    }
}
