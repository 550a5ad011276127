import Foundation
import GRDB
import HMSSyncCore

extension SQLiteTransaction {
    func appointment(id: String) throws -> Appointment? {
        try SQLiteStore.appointment(db, id: id)
    }

    func user(id: String) throws -> UserRecord? {
        try SQLiteStore.user(db, id: id)
    }

    func windows(doctorId: String, overlapping range: TimeRange) throws -> [AvailabilityWindow] {
        try SQLiteStore.windows(db, doctorId: doctorId, overlapping: range)
    }

    func activeSpans(of party: AppointmentParty, id: String, near range: TimeRange) throws -> [TimeRange] {
        try SQLiteStore.activeSpans(db, party: party, id: id, near: range)
    }

    func insertBooked(_ intent: BookIntent, patientId: String, slot: TimeRange, now: Date) throws -> Appointment {
        do {
            try db.cachedStatement(sql: """
                    INSERT INTO appointments (id, patient_id, doctor_id, start, "end", status, reason, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """).execute(
                arguments: [
                    intent.appointmentId, patientId, intent.doctorId, slot.start.epochSeconds, slot.end.epochSeconds,
                    AppointmentStatus.booked.rawValue, intent.reason, now.epochSeconds, now.epochSeconds,
                ]
            )
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw Self.ruleViolation(error)
        }
        guard let booked = try appointment(id: intent.appointmentId) else { throw DomainError.notFound("appointment") }
        return booked
    }

    func setCancelled(id: String, reason: String?, now: Date) throws {
        try db.execute(
            sql: "UPDATE appointments SET status = ?, cancel_reason = ?, updated_at = ? WHERE id = ?",
            arguments: [AppointmentStatus.cancelled.rawValue, reason, now.epochSeconds, id])
    }

    func setCompleted(id: String, diagnosis: String?, treatment: String?, now: Date) throws {
        try db.execute(
            sql: "UPDATE appointments SET status = ?, diagnosis = ?, treatment = ?, updated_at = ? WHERE id = ?",
            arguments: [AppointmentStatus.completed.rawValue, diagnosis, treatment, now.epochSeconds, id])
    }

    /// The rule a database guard enforced (the overlap triggers, the unique index), as its code.
    static func ruleViolation(_ error: DatabaseError) -> DomainError {
        let message = error.message ?? ""
        return message.contains("PATIENT_BUSY") ? OverlapRule.patientBusy : OverlapRule.slotTaken
    }
}
