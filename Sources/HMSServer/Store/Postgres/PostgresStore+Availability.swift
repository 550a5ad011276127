import Foundation
import HMSSyncCore
import PostgresNIO

extension PostgresStore {
    /// Adds a window to a doctor's availability; its shape is already checked. The doctor's
    /// windows lock, held alone, keeps two windows added at once on two servers from overlapping.
    func addWindow(doctorId: String, start: Date, end: Date, slotMinutes: Int) async throws -> AvailabilityWindow {
        let window = AvailabilityWindow(
            id: RandomID.make(), doctorId: doctorId, start: start, end: end, slotMinutes: slotMinutes)
        try await write { tx in
            try tx.lockWindowsForChange(doctorId: doctorId)
            let others = try tx.windows(doctorId: doctorId, overlapping: window.range)
            try AvailabilityRule.checkNoOverlap(window.range, with: others)
            try tx.execute(
                """
                INSERT INTO availability (id, doctor_id, start, "end", slot_minutes)
                VALUES (\(window.id), \(doctorId), \(start.epochSeconds), \(end.epochSeconds), \(slotMinutes))
                """)
            try tx.recordChange(.availability, id: window.id, doctorId: doctorId)
        }
        return window
    }

    /// Removes one of the doctor's windows unless a booked appointment starts inside it. The
    /// doctor's windows lock, held alone, waits for the bookings in flight (they share it) and
    /// keeps new ones out, so the bookings read here are all there are.
    func removeWindow(doctorId: String, id: String) async throws {
        try await write { tx in
            try tx.lockWindowsForChange(doctorId: doctorId)
            guard
                let window = try tx.query(
                    """
                    SELECT \(unescaped: AvailabilityWindow.postgresColumns) FROM availability
                    WHERE id = \(id) AND doctor_id = \(doctorId)
                    """
                ).first.map(AvailabilityWindow.init(postgresRow:))
            else { throw DomainError.notFound("availability window") }
            let bookedStarts = try tx.query(
                """
                SELECT start FROM appointments
                WHERE doctor_id = \(doctorId) AND status = \(AppointmentStatus.booked.rawValue)
                  AND start >= \(window.start.epochSeconds) AND start < \(window.end.epochSeconds)
                """
            ).map { Date(epochSeconds: try $0.decode(Int64.self)) }
            try AvailabilityRule.checkRemovable(window, bookedStarts: bookedStarts)
            try tx.execute("DELETE FROM availability WHERE id = \(id)")
            try tx.recordChange(.availability, id: id, doctorId: doctorId, patientId: nil, deleted: true)
        }
    }

    /// A page of a doctor's windows that overlap `[from, to)`, by start (ids in byte order, as
    /// SQLite sorts them).
    func windows(doctorId: String, from: Date?, to: Date?, after cursor: ListCursor?, limit: Int) async throws
        -> [AvailabilityWindow]
    {
        var builder = PostgresQueryBuilder("SELECT \(AvailabilityWindow.postgresColumns) FROM availability")
        var conditions = ["doctor_id = \(builder.bind(doctorId))"]
        if let from { conditions.append("\"end\" > \(builder.bind(from.epochSeconds))") }
        if let to { conditions.append("start < \(builder.bind(to.epochSeconds))") }
        if let cursor {
            conditions.append("(start, id COLLATE \"C\") > (\(builder.bind(cursor.epochKey)), \(builder.bind(cursor.id)))")
        }
        builder.appendWhere(conditions)
        let limitPlaceholder = builder.bind(limit)
        builder.append(" ORDER BY start, id COLLATE \"C\" LIMIT \(limitPlaceholder)")
        let query = builder.query
        return try await read { tx in try tx.query(query).map(AvailabilityWindow.init(postgresRow:)) }
    }
}
