import Foundation
import GRDB

/// Keys of the replica's `state` table.
enum StateKey: String {
    case server, user, accessToken, refreshToken, clientId, nextMutationId, cursor, lastMutationId, lastSyncAt
    case clinicTimeZone
}

extension Database {
    func state(_ key: StateKey) throws -> String? {
        try String.fetchOne(self, sql: "SELECT value FROM state WHERE key = ?", arguments: [key.rawValue])
    }

    func setState(_ key: StateKey, _ value: String?) throws {
        if let value {
            try execute(sql: "INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)", arguments: [key.rawValue, value])
        } else {
            try execute(sql: "DELETE FROM state WHERE key = ?", arguments: [key.rawValue])
        }
    }
}
