import Foundation

/// A secret made once and kept in the data folder, readable by its owner only (mode 0600).
enum SecretFile {
    static func readOrCreate(folder: String, name: String) throws -> String {
        let path = (folder as NSString).appendingPathComponent(name)
        if let existing = try? String(contentsOfFile: path, encoding: .utf8) {
            let secret = existing.trimmingCharacters(in: .whitespacesAndNewlines)
            guard secret.utf8.count >= 32 else {
                throw ConfigError(setting: "HMS_JWT_SECRET", problem: "the kept secret in \(path) is shorter than 32 bytes")
            }
            return secret
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let secret = TokenService.makeRefreshToken() + TokenService.makeRefreshToken()
        guard FileManager.default.createFile(
            atPath: path, contents: Data(secret.utf8), attributes: [.posixPermissions: 0o600])
        else {
            throw ConfigError(setting: "HMS_JWT_SECRET", problem: "cannot write the secret file \(path)")
        }
        return secret
    }
}
