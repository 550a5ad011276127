import Foundation
import GRDB
import HMSSyncCore

/// The filters of `GET /v1/appointments`; only an admin's are all honoured.
struct AppointmentFilter: Sendable {
    var status: AppointmentStatus?
    var doctorId: String?
    var patientId: String?
    var from: Date?
    var to: Date?
}

extension Store {
    func book(_ intent: BookIntent, now: Date) async throws -> BookingOutcome {
        try await write { db in try Self.book(db, intent, now: now) }
    }

    func cancel(_ intent: CancelIntent, actor: Actor, now: Date) async throws -> Appointment {
        try await write { db in try Self.cancel(db, intent, actor: actor, now: now) }
    }

    func complete(_ intent: CompleteIntent, actor: Actor, now: Date) async throws -> Appointment {
        try await write { db in try Self.complete(db, intent, actor: actor, now: now) }
    }

    func appointment(id: String, actor: Actor) async throws -> Appointment {
        try await pool.read { db in try Self.visibleAppointment(db, id: id, actor: actor) }
    }

    /// A page of appointments in the actor's scope: by start ascending, a patient's newest first.
    func appointments(actor: Actor, filter: AppointmentFilter, after cursor: ListCursor?, limit: Int) async throws
        -> [Appointment]
    {
        var filter = filter
        switch actor.role {
        case .admin: break
        case .doctor: filter.doctorId = actor.userId; filter.patientId = nil
        case .patient: filter.patientId = actor.userId; filter.doctorId = nil
        }
        let newestFirst = actor.role == .patient
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
