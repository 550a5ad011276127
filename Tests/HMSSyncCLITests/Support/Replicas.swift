import Foundation
import GRDB

/// Reads a replica file the way no command shows it (tokens), for tests only.
enum Replicas {
    static func state(_ path: String, _ key: String) throws -> String? {
        let queue = try DatabaseQueue(path: path)
        return try queue.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM state WHERE key = ?", arguments: [key])
        }
    }
}
