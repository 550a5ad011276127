import Foundation
import GRDB
import HMSSyncCore


extension SQLiteStore {
    func appointment(id: String, actor: Actor) async throws -> Appointment {
        try await pool.read { db in try IntentFlow.visible(SQLiteTransaction(db: db), id: id, actor: actor) }
    }

    /// A page of appointments in the actor's scope: by start ascending, a patient's newest first.
    func appointments(actor: Actor, filter: AppointmentFilter, after cursor: ListCursor?, limit: Int) async throws
        -> [Appointment]
    {
        let filter = filter.scoped(to: actor)
        let newestFirst = AppointmentFilter.isNewestFirst(for: actor)
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let status = filter.status { conditions.append("a.status = ?"); arguments += [status.rawValue] }
        if let doctorId = filter.doctorId { conditions.append("a.doctor_id = ?"); arguments += [doctorId] }
        if let patientId = filter.patientId { conditions.append("a.patient_id = ?"); arguments += [patientId] }
        if let from = filter.from { conditions.append("a.start >= ?"); arguments += [from.epochSeconds] }
        if let to = filter.to { conditions.append("a.start < ?"); arguments += [to.epochSeconds] }
        if let cursor {
            conditions.append(newestFirst ? "(a.start, a.id) < (?, ?)" : "(a.start, a.id) > (?, ?)")
            arguments += [cursor.key, cursor.id]
        }
        var sql = Self.appointmentSelect
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        sql += newestFirst ? " ORDER BY a.start DESC, a.id DESC" : " ORDER BY a.start, a.id"
        sql += " LIMIT ?"
        arguments += [limit]
        let finalSQL = sql
        let finalArguments = arguments
        return try await pool.read { db in
            try Row.fetchAll(db, sql: finalSQL, arguments: finalArguments).map(Self.appointment)
        }
    }
}
