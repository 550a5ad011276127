import Foundation
import HMSSyncCore
import HMSWebSupport
import PostgresNIO

extension PostgresStore {
    /// Inserts a user, or `DUPLICATE` when the email is taken in any case or normalization
    /// form (`FieldRule.emailKey`, stored in `email_key` beside the email as given).
    func createUser(_ new: NewUser, now: Date) async throws -> UserRecord {
        try await write { tx in
            let emailKey = FieldRule.emailKey(new.email)
            // The unique email_key decides between servers registering one email at once:
            // ON CONFLICT waits for the other insert to commit or roll back, then inserts or skips.
            let inserted = try tx.query(
                """
                INSERT INTO users (id, name, email, email_key, role, password_hash, specialty, created_at)
                VALUES (\(new.id), \(new.name), \(new.email), \(emailKey), \(new.role.rawValue), \(new.passwordHash),
                        \(new.specialty), \(now.epochSeconds))
                ON CONFLICT (email_key) DO NOTHING
                RETURNING \(unescaped: UserRecord.postgresColumns)
                """)
            guard let row = inserted.first else { throw Self.duplicateEmail }
            let user = try UserRecord(postgresRow: row)
            try tx.recordUserChange(id: user.id, role: user.role)
            return user
        }
    }

    /// Creates the admin unless an account with that email (by its key) exists; answers whether
    /// it was created.
    func seedAdmin(email: String, name: String, passwordHash: @escaping @Sendable () -> String, now: Date) async throws -> Bool {
        try await write { tx in
            let email = FieldRule.normalized(email)
            let emailKey = FieldRule.emailKey(email)
            // checked first, so a restart costs no password hashing
            if try tx.emailTaken(key: emailKey) { return false }
            // servers starting together: the unique email_key lets one insert, the others skip
            let inserted = try tx.execute(
                """
                INSERT INTO users (id, name, email, email_key, role, password_hash, created_at)
                VALUES (\(RandomID.make()), \(name), \(email), \(emailKey), \(Role.admin.rawValue),
                        \(passwordHash()), \(now.epochSeconds))
                ON CONFLICT (email_key) DO NOTHING
                """)
            return inserted == 1
        }
    }

    /// `DUPLICATE` when an account with that email exists. Checked before a password is hashed,
    /// so a flood of taken emails costs no bcrypt work; `createUser` decides again on insert for
    /// a registration racing this one.
    func checkEmailFree(_ email: String) async throws {
        if try await user(email: email) != nil { throw Self.duplicateEmail }
    }

    func user(id: String) async throws -> UserRecord? {
        guard PostgresText.canHold(id) else { return nil }
        return try await read { tx in try tx.user(id: id) }
    }

    /// The account of `email` in any case or normalization form.
    func user(email: String) async throws -> UserRecord? {
        // no stored address is longer, so a huge one is not worth folding
        guard email.utf8.count <= TextLimit.email.utf8Bytes else { return nil }
        let emailKey = FieldRule.emailKey(email)
        guard PostgresText.canHold(emailKey) else { return nil }
        return try await read { tx in
            try tx.query("SELECT \(unescaped: UserRecord.postgresColumns) FROM users WHERE email_key = \(emailKey)")
                .first.map(UserRecord.init(postgresRow:))
        }
    }

    /// Sets a doctor's blacklist flag; blacklisting also revokes every token issued until now.
    func setBlacklisted(doctorId: String, _ blacklisted: Bool, now: Date) async throws -> UserRecord {
        try await write { tx in
            // the row lock orders this against logins starting a family (see `lockedUser`)
            guard let doctor = try tx.lockedUser(id: doctorId), doctor.role == .doctor else {
                throw DomainError.notFound("doctor")
            }
            guard doctor.blacklisted != blacklisted else { return doctor }
            let updated: [PostgresRow]
            if blacklisted {
                updated = try tx.query(
                    """
                    UPDATE users SET blacklisted = true, tokens_revoked_at = \(now.epochSeconds) WHERE id = \(doctorId)
                    RETURNING \(unescaped: UserRecord.postgresColumns)
                    """)
                try tx.revokeFamilies(userId: doctorId, except: nil, now: now)
            } else {
                // the families revoked by the blacklisting keep older tokens out; the cut-off second
                // would also refuse a new login made in that same second
                updated = try tx.query(
                    """
                    UPDATE users SET blacklisted = false, tokens_revoked_at = NULL WHERE id = \(doctorId)
                    RETURNING \(unescaped: UserRecord.postgresColumns)
                    """)
            }
            guard let row = updated.first else { throw DomainError.notFound("doctor") }
            let record = try UserRecord(postgresRow: row)
            try tx.recordUserChange(id: doctorId, role: .doctor)
            return record
        }
    }

    /// The doctor directory, by name (in byte order, as SQLite sorts), optionally of one
    /// specialty (ASCII case-insensitive, as SQLite's NOCASE).
    func doctors(specialty: String?, after cursor: ListCursor?, limit: Int) async throws -> [UserRecord] {
        if let specialty, !PostgresText.canHold(specialty) { return [] }
        let after = try cursor?.textPosition()
        return try await read { tx in
            try tx.query(
                """
                SELECT \(unescaped: UserRecord.postgresColumns) FROM users
                WHERE role = \(Role.doctor.rawValue)
                  AND (\(specialty)::text IS NULL
                       OR translate(specialty, \(unescaped: PostgresText.asciiLowercase))
                          = translate(\(specialty), \(unescaped: PostgresText.asciiLowercase)))
                  AND (\(after?.key)::text IS NULL
                       OR (name COLLATE "C", id COLLATE "C") > (\(after?.key), \(after?.id)))
                ORDER BY name COLLATE "C", id COLLATE "C"
                LIMIT \(limit)
                """
            ).map(UserRecord.init(postgresRow:))
        }
    }

    static var duplicateEmail: DomainError {
        DomainError(.duplicate, "an account with that email already exists", details: ["field": .string("email")])
    }
}
