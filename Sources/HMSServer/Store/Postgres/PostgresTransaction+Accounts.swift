import Foundation
import HMSSyncCore
import PostgresNIO

extension PostgresTransaction {
    /// The user with `id`, its row locked until the transaction ends: an account change
    /// (blacklisting, disabling) holds it so that a login starting a family (`lockedStanding`)
    /// either waits and sees the change or has its family revoked by it. `FOR NO KEY UPDATE`
    /// leaves rows that only reference the user (appointments, families) free to be written.
    func lockedUser(id: String) throws -> UserRecord? {
        try query("SELECT \(unescaped: UserRecord.postgresColumns) FROM users WHERE id = \(id) FOR NO KEY UPDATE")
            .first.map(UserRecord.init(postgresRow:))
    }

    /// The user with `id`, its row share-locked until the transaction ends, so no account change
    /// can commit between reading its standing and committing what was decided on it.
    func lockedStanding(id: String) throws -> UserRecord? {
        try query("SELECT \(unescaped: UserRecord.postgresColumns) FROM users WHERE id = \(id) FOR SHARE")
            .first.map(UserRecord.init(postgresRow:))
    }

    /// Whether an account has the email key `key` (`FieldRule.emailKey`).
    func emailTaken(key: String) throws -> Bool {
        try !query("SELECT 1 FROM users WHERE email_key = \(key)").isEmpty
    }

    /// Revokes the user's live token families, all of them or all but one.
    func revokeFamilies(userId: String, except keptFamily: String?, now: Date) throws {
        try execute(
            """
            UPDATE token_families SET revoked_at = \(now.epochSeconds)
            WHERE user_id = \(userId) AND revoked_at IS NULL AND id IS DISTINCT FROM \(keptFamily)
            """)
    }

    /// Records that a doctor's or a patient's account changed (admins are not synced).
    func recordUserChange(id: String, role: Role) throws {
        switch role {
        case .doctor: try recordChange(.doctor, id: id, doctorId: id)
        case .patient: try recordChange(.patient, id: id, patientId: id)
        case .admin: break
        }
    }
}
