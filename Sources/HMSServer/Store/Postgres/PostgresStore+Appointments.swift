import Foundation
import HMSSyncCore
import PostgresNIO

extension PostgresStore {
    func appointment(id: String, actor: Actor) async throws -> Appointment {
        try await read { tx in try IntentFlow.visible(tx, id: id, actor: actor) }
    }

    /// A page of appointments in the actor's scope: by start ascending, a patient's newest first
    /// (ids in byte order, as SQLite sorts them).
    func appointments(actor: Actor, filter: AppointmentFilter, after cursor: ListCursor?, limit: Int) async throws
        -> [Appointment]
    {
        let filter = filter.scoped(to: actor)
        let newestFirst = AppointmentFilter.isNewestFirst(for: actor)
        var builder = PostgresQueryBuilder(Appointment.postgresSelect)
        var conditions: [String] = []
        if let status = filter.status { conditions.append("a.status = \(builder.bind(status.rawValue))") }
        if let doctorId = filter.doctorId { conditions.append("a.doctor_id = \(builder.bind(doctorId))") }
        if let patientId = filter.patientId { conditions.append("a.patient_id = \(builder.bind(patientId))") }
        if let from = filter.from { conditions.append("a.start >= \(builder.bind(from.epochSeconds))") }
        if let to = filter.to { conditions.append("a.start < \(builder.bind(to.epochSeconds))") }
        if let cursor {
            let position = "(\(builder.bind(cursor.epochKey)), \(builder.bind(cursor.id)))"
            conditions.append("(a.start, a.id COLLATE \"C\") \(newestFirst ? "<" : ">") \(position)")
        }
        builder.appendWhere(conditions)
        builder.append(newestFirst ? " ORDER BY a.start DESC, a.id COLLATE \"C\" DESC" : " ORDER BY a.start, a.id COLLATE \"C\"")
        let limitPlaceholder = builder.bind(limit)
        builder.append(" LIMIT \(limitPlaceholder)")
        let query = builder.query
        return try await read { tx in try tx.query(query).map(Appointment.init(postgresRow:)) }
    }
}
