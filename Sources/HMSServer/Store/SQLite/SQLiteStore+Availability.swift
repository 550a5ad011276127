import Foundation
import GRDB
import HMSSyncCore

extension SQLiteStore {
    /// Adds a window to a doctor's availability; its shape is already checked.
    func addWindow(doctorId: String, start: Date, end: Date, slotMinutes: Int) async throws -> AvailabilityWindow {
        let window = AvailabilityWindow(
            id: RandomID.make(), doctorId: doctorId, start: start, end: end, slotMinutes: slotMinutes)
        try await write { db in
            let others = try Self.windows(db, doctorId: doctorId, overlapping: window.range)
            try AvailabilityRule.checkNoOverlap(window.range, with: others)
            try db.execute(
                sql: "INSERT INTO availability (id, doctor_id, start, \"end\", slot_minutes) VALUES (?, ?, ?, ?, ?)",
                arguments: [window.id, doctorId, start.epochSeconds, end.epochSeconds, slotMinutes]
            )
            try SQLiteTransaction(db: db).recordChange(.availability, id: window.id, doctorId: doctorId)
        }
        return window
    }

    /// Removes one of the doctor's windows unless a booked appointment starts inside it.
    func removeWindow(doctorId: String, id: String) async throws {
        try await write { db in
            guard
                let window = try Row.fetchOne(
                    db, sql: "SELECT * FROM availability WHERE id = ? AND doctor_id = ?", arguments: [id, doctorId]
                ).map(Self.window)
            else { throw DomainError.notFound("availability window") }
            let bookedStarts = try Int64.fetchAll(
                db,
                sql: "SELECT start FROM appointments WHERE doctor_id = ? AND status = 'BOOKED' AND start >= ? AND start < ?",
                arguments: [doctorId, window.start.epochSeconds, window.end.epochSeconds]
            ).map(Date.init(epochSeconds:))
            try AvailabilityRule.checkRemovable(window, bookedStarts: bookedStarts)
            try db.execute(sql: "DELETE FROM availability WHERE id = ?", arguments: [id])
            try SQLiteTransaction(db: db).recordChange(.availability, id: id, doctorId: doctorId, patientId: nil, deleted: true)
        }
    }

    /// A page of a doctor's windows that overlap `[from, to)`, by start.
    func windows(doctorId: String, from: Date?, to: Date?, after cursor: ListCursor?, limit: Int) async throws
        -> [AvailabilityWindow]
    {
        try await pool.read { db in
            var sql = "SELECT * FROM availability WHERE doctor_id = ?"
            var arguments: StatementArguments = [doctorId]
            if let from {
                sql += " AND \"end\" > ?"
                arguments += [from.epochSeconds]
            }
            if let to {
                sql += " AND start < ?"
                arguments += [to.epochSeconds]
            }
            if let cursor {
                sql += " AND (start, id) > (?, ?)"
                arguments += [cursor.key, cursor.id]
            }
            sql += " ORDER BY start, id LIMIT ?"
            arguments += [limit]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.window)
        }
    }

    /// The doctor's windows that overlap `range`.
    static func windows(_ db: Database, doctorId: String, overlapping range: TimeRange) throws -> [AvailabilityWindow] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: "SELECT * FROM availability WHERE doctor_id = ? AND start < ? AND \"end\" > ? AND start > ? ORDER BY start"),
            // the last bound is implied by the others (no window is longer) and lets the index stop early
            arguments: [doctorId, range.end.epochSeconds, range.start.epochSeconds,
                        range.start.addingTimeInterval(-AvailabilityRule.longestWindow).epochSeconds]
        ).map(window)
    }

    static func window(_ row: Row) -> AvailabilityWindow {
        AvailabilityWindow(
            id: row["id"], doctorId: row["doctor_id"], start: Date(epochSeconds: row["start"]),
            end: Date(epochSeconds: row["end"]), slotMinutes: row["slot_minutes"])
    }
}
