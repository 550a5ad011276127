import Foundation
import GRDB
import HMSSyncCore

extension SQLiteStore {
    /// Every slot starting inside `day`, marked free unless it has started by `now` or an active
    /// appointment holds it (`SlotRule.isFree`).
    func slots(doctorId: String, day: TimeRange, now: Date) async throws -> [Slot] {
        try await pool.read { db in
            guard let doctor = try Self.user(db, id: doctorId), doctor.role == .doctor else {
                throw DomainError.notFound("doctor")
            }
            let windows = try Self.windows(db, doctorId: doctorId, overlapping: day)
            let busy = try Self.activeSpans(db, party: .doctor, id: doctorId, near: day)
            return windows.flatMap(\.slots)
                .filter { day.contains($0.start) }
                .map { slot in Slot(start: slot.start, end: slot.end, free: SlotRule.isFree(slot, busy: busy, now: now)) }
        }
    }

    /// Spans of the active appointments of one doctor or patient (`column`) that overlap `range`.
    static func activeSpans(_ db: Database, party: AppointmentParty, id: String, near range: TimeRange) throws -> [TimeRange] {
        let column = party == .doctor ? "doctor_id" : "patient_id"
        return try Row.fetchAll(
            db.cachedStatement(sql: """
                SELECT start, "end" FROM appointments
                WHERE \(column) = ? AND status IN \(AppointmentStatus.activeSQLList) AND start < ? AND "end" > ? AND start > ?
                """),
            // the last bound is implied by the others (no slot is longer) and lets the index stop early
            arguments: [id, range.end.epochSeconds, range.start.epochSeconds,
                        range.start.addingTimeInterval(-AvailabilityRule.longestSlot).epochSeconds]
        ).map { TimeRange(start: Date(epochSeconds: $0[0]), end: Date(epochSeconds: $0[1])) }
    }
}
