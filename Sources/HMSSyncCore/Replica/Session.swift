import Foundation
import GRDB

/// Who the replica is signed in as, and where.
public struct Session: Sendable, Equatable {
    public let server: String
    public let user: User
    public let accessToken: String
    public let refreshToken: String
    public let clinicTimeZone: String

    public var actor: Actor { Actor(userId: user.id, role: user.role) }
}

extension Replica {
    /// The stored sign-in, or nil.
    public func session() throws -> Session? {
        try queue.read { db in try Self.session(db, cipher) }
    }

    static func session(_ db: Database, _ cipher: ReplicaCipher) throws -> Session? {
        guard let server = try db.state(.server), let user = try db.storedUser(cipher),
            let access = try db.state(.accessToken, cipher), let refresh = try db.state(.refreshToken, cipher)
        else { return nil }
        return Session(server: server, user: user, accessToken: access, refreshToken: refresh,
                       clinicTimeZone: try db.state(.clinicTimeZone) ?? "UTC")
    }

    /// Refuses a sign-in as another user or to another server while intents are pending.
    public func checkCanSignIn(server: String, email: String) throws {
        try queue.read { db in
            guard let current = try Self.signedInIdentity(db, cipher) else { return }
            let pending = try Int.fetchOne(db, sql: "SELECT count(*) FROM intents WHERE state = 'pending'") ?? 0
            if pending > 0 && (current.server != server || current.email.lowercased() != email.lowercased()) {
                throw ReplicaError.pendingIntents(pending)
            }
        }
    }

    /// Stores a sign-in. Another user or server empties the replica first (it was checked to
    /// hold no pending intents); the same user keeps everything. `clinicName` is kept for
    /// `clinic()` (what `hms-sync serve` answers offline).
    public func signIn(server: String, pair: TokenPair, clinicTimeZone: String, clinicName: String? = nil) throws {
        try queue.write { db in
            if let current = try Self.signedInIdentity(db, cipher), current.server != server || current.userId != pair.user.id {
                let pending = try Int.fetchOne(db, sql: "SELECT count(*) FROM intents WHERE state = 'pending'") ?? 0
                guard pending == 0 else { throw ReplicaError.pendingIntents(pending) }
                try db.execute(sql: """
                    DELETE FROM server_rows; DELETE FROM intents; DELETE FROM rejections; DELETE FROM state;
                    DELETE FROM overlay; DELETE FROM repair_seen
                    """)
            }
            try db.setState(.server, server)
            try db.setState(.user, sealing: String(decoding: try JSONEncoder().encode(pair.user), as: UTF8.self), cipher)
            try db.setState(.accessToken, sealing: pair.accessToken, cipher)
            try db.setState(.refreshToken, sealing: pair.refreshToken, cipher)
            try db.setState(.clinicTimeZone, clinicTimeZone)
            if let clinicName { try db.setState(.clinicName, clinicName) }
            if try db.state(.clientId) == nil {
                try db.setState(.clientId, RandomID.make())
                try db.setState(.nextMutationId, "1")
            }
        }
    }

    /// Keeps a refreshed token pair.
    public func storeTokens(_ pair: TokenPair) throws {
        try queue.write { db in
            try db.setState(.accessToken, sealing: pair.accessToken, cipher)
            try db.setState(.refreshToken, sealing: pair.refreshToken, cipher)
        }
    }

    /// Signs out: forgets the tokens, every server row (and the pull cursor, so the next
    /// sign-in pulls them again) with what was made from them, every rejection, and the intents
    /// the server already applied.
    /// Pending intents stay for the next sign-in of the same user. Deleted rows are overwritten
    /// (`secure_delete`), the file is rebuilt without its free space (`VACUUM`, which also drops
    /// fragments of rows replaced earlier), and the WAL is checkpointed and truncated, so the
    /// deleted rows leave the replica's files too.
    public func signOut() throws {
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA secure_delete = ON")
            try db.inTransaction {
                try db.setState(.accessToken, nil)
                try db.setState(.refreshToken, nil)
                try db.setState(.cursor, nil)
                try db.execute(sql: "DELETE FROM server_rows")
                try db.execute(sql: "DELETE FROM rejections")
                try db.execute(sql: "DELETE FROM intents WHERE state = 'applied'")
                // what was made from the server rows: the kept replay and a repair under way
                try db.execute(sql: "DELETE FROM overlay")
                try Self.dropRepair(db)
                return .commit
            }
            try db.execute(sql: "VACUUM")
            try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
        }
    }

    /// The server and user last signed in, even after sign-out.
    private static func signedInIdentity(_ db: Database, _ cipher: ReplicaCipher) throws
        -> (server: String, userId: String, email: String)?
    {
        guard let server = try db.state(.server), let user = try db.storedUser(cipher) else { return nil }
        return (server, user.id, user.email)
    }

    /// The user last signed in (kept after sign-out).
    public func lastUser() throws -> User? {
        try queue.read { db in try db.storedUser(cipher) }
    }
}
