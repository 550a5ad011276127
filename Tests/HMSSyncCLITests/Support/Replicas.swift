import Foundation
import HMSSyncCore

/// Reads a replica file the way no command shows it, for tests only.
enum Replicas {
    /// The key store of a CLI whose HOME is the test's folder.
    static func keyFolder(_ cli: CLI) -> String {
        (cli.folder as NSString).appendingPathComponent(".local/share/hms-sync/keys")
    }

    /// The replica of `cli`, opened in this process with the key `hms-sync` made for it (to read
    /// the tokens, or record intents through the library).
    static func open(_ cli: CLI) throws -> Replica {
        try Replica(path: cli.replica) { request in
            let file = (keyFolder(cli) as NSString).appendingPathComponent("\(request.replicaId).key")
            return try ReplicaKey(bytes: try Data(contentsOf: URL(fileURLWithPath: file)))
        }
    }

    /// The replica's files on disk as they are now: the database, its `-wal` and `-journal`
    /// (those that exist), by path.
    static func files(_ path: String) -> [String: Data] {
        var files: [String: Data] = [:]
        for suffix in ["", "-wal", "-journal"] {
            if let data = FileManager.default.contents(atPath: path + suffix) { files[path + suffix] = data }
        }
        return files
    }

    /// Which of `secrets` appear, as UTF-8, anywhere in the replica's files: "file: secret".
    static func plaintext(of secrets: [String], in path: String) -> [String] {
        files(path).flatMap { file, data in
            secrets.filter { data.range(of: Data($0.utf8)) != nil }.map { "\((file as NSString).lastPathComponent): \($0)" }
        }.sorted()
    }
}
