import Foundation
import GRDB
import HMSSyncCore

extension SQLiteStore {
    /// Migration `v5-email-key`: emails are unique after NFC and case folding (CONTRACT.md §9.1).
    /// Adds `users.email_key`, computes it in Swift for every existing row, and makes it unique.
    ///
    /// Before v5 only ASCII case was folded (`COLLATE NOCASE`), so two accounts may already
    /// share a key (say `É` and `é`, or NFC and NFD forms). The oldest keeps the key and so the
    /// address; each later one gets its key followed by a space and its id, which no valid
    /// address can equal, so its row and history stay but it no longer signs in by that
    /// address until an admin resolves it.
    static func migrateEmailKeys(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE users ADD COLUMN email_key TEXT")
        var taken: Set<String> = []
        let users = try Row.fetchAll(db, sql: "SELECT id, email FROM users ORDER BY created_at, id")
        let update = try db.makeStatement(sql: "UPDATE users SET email_key = ? WHERE id = ?")
        for user in users {
            let id: String = user["id"]
            var key = FieldRule.emailKey(user["email"])
            if !taken.insert(key).inserted { key += " " + id }
            try update.execute(arguments: [key, id])
        }
        try db.execute(sql: "CREATE UNIQUE INDEX users_email_key ON users (email_key)")
    }
}
