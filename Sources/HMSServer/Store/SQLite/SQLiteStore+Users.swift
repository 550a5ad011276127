import Foundation
import GRDB
import HMSSyncCore


extension SQLiteStore {
    /// Inserts a user, or `DUPLICATE` when the email is taken in any case or normalization
    /// form (`FieldRule.emailKey`, stored in `email_key` beside the email as given).
    func createUser(_ new: NewUser, now: Date) async throws -> UserRecord {
        try await write { db in
            let emailKey = FieldRule.emailKey(new.email)
            if try Self.emailTaken(db, key: emailKey) {
                throw DomainError(.duplicate, "an account with that email already exists",
                                  details: ["field": .string("email")])
            }
            try db.execute(
                sql: """
                    INSERT INTO users (id, name, email, email_key, role, password_hash, specialty, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    new.id, new.name, new.email, emailKey, new.role.rawValue, new.passwordHash, new.specialty,
                    now.epochSeconds,
                ]
            )
            try Self.recordUserChange(db, id: new.id, role: new.role)
            return try Self.user(db, id: new.id)!
        }
    }

    /// Creates the admin unless an account with that email (by its key) exists; answers whether
    /// it was created.
    func seedAdmin(email: String, name: String, passwordHash: @escaping @Sendable () -> String, now: Date) async throws -> Bool {
        try await write { db in
            let email = FieldRule.normalized(email)
            let emailKey = FieldRule.emailKey(email)
            if try Self.emailTaken(db, key: emailKey) { return false }
            try db.execute(
                sql: """
                    INSERT INTO users (id, name, email, email_key, role, password_hash, created_at)
                    VALUES (?, ?, ?, ?, 'admin', ?, ?)
                    """,
                arguments: [RandomID.make(), name, email, emailKey, passwordHash(), now.epochSeconds]
            )
            return true
        }
    }

    /// `DUPLICATE` when an account with that email exists. Checked before a password is hashed,
    /// so a flood of taken emails costs no bcrypt work; `createUser` checks again in its
    /// transaction for a registration racing this one.
    func checkEmailFree(_ email: String) async throws {
        if try await user(email: email) != nil {
            throw DomainError(.duplicate, "an account with that email already exists", details: ["field": .string("email")])
        }
    }

    func user(id: String) async throws -> UserRecord? {
        try await pool.read { db in try Self.user(db, id: id) }
    }

    /// The account of `email` in any case or normalization form.
    func user(email: String) async throws -> UserRecord? {
        // no stored address is longer, so a huge one is not worth folding
        guard email.utf8.count <= TextLimit.email.utf8Bytes else { return nil }
        return try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM users WHERE email_key = ?", arguments: [FieldRule.emailKey(email)])
                .map(UserRecord.init)
        }
    }

    private static func emailTaken(_ db: Database, key: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM users WHERE email_key = ?", arguments: [key]) == true
    }

    static func user(_ db: Database, id: String) throws -> UserRecord? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM users WHERE id = ?"), arguments: [id]).map(UserRecord.init)
    }

    /// Sets a doctor's blacklist flag; blacklisting also revokes every token issued until now.
    func setBlacklisted(doctorId: String, _ blacklisted: Bool, now: Date) async throws -> UserRecord {
        try await write { db in
            guard let doctor = try Self.user(db, id: doctorId), doctor.role == .doctor else {
                throw DomainError.notFound("doctor")
            }
            guard doctor.blacklisted != blacklisted else { return doctor }
            if blacklisted {
                try db.execute(
                    sql: "UPDATE users SET blacklisted = 1, tokens_revoked_at = ? WHERE id = ?",
                    arguments: [now.epochSeconds, doctorId]
                )
                try db.execute(
                    sql: "UPDATE token_families SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                    arguments: [now.epochSeconds, doctorId]
                )
            } else {
                // the families revoked by the blacklisting keep older tokens out; the cut-off second
                // would also refuse a new login made in that same second
                try db.execute(
                    sql: "UPDATE users SET blacklisted = 0, tokens_revoked_at = NULL WHERE id = ?", arguments: [doctorId])
            }
            try Self.recordUserChange(db, id: doctorId, role: .doctor)
            return try Self.user(db, id: doctorId)!
        }
    }

    /// The doctor directory, by name, optionally of one specialty.
    func doctors(specialty: String?, after cursor: ListCursor?, limit: Int) async throws -> [UserRecord] {
        try await pool.read { db in
            var sql = "SELECT * FROM users WHERE role = 'doctor'"
            var arguments: StatementArguments = []
            if let specialty {
                sql += " AND specialty = ? COLLATE NOCASE"
                arguments += [specialty]
            }
            if let cursor {
                sql += " AND (name, id) > (?, ?)"
                arguments += [cursor.key, cursor.id]
            }
            sql += " ORDER BY name, id LIMIT ?"
            arguments += [limit]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(UserRecord.init)
        }
    }

    private static func recordUserChange(_ db: Database, id: String, role: Role) throws {
        switch role {
        case .doctor: try SQLiteTransaction(db: db).recordChange(.doctor, id: id, doctorId: id)
        case .patient: try SQLiteTransaction(db: db).recordChange(.patient, id: id, patientId: id)
        case .admin: break
        }
    }
}
