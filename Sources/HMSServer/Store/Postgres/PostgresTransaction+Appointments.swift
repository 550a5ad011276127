import Foundation
import HMSSyncCore
import PostgresNIO

extension PostgresTransaction: AppointmentRows {
    func appointment(id: String) throws -> Appointment? {
        try query("\(unescaped: Appointment.postgresSelect) WHERE a.id = \(id)").first.map(Appointment.init(postgresRow:))
    }

    func windows(doctorId: String, overlapping range: TimeRange) throws -> [AvailabilityWindow] {
        // the last bound is implied by the others (no window is longer) and lets the index stop early
        let earliest = range.start.addingTimeInterval(-AvailabilityRule.longestWindow).epochSeconds
        return try query(
            """
            SELECT \(unescaped: AvailabilityWindow.postgresColumns) FROM availability
            WHERE doctor_id = \(doctorId) AND start < \(range.end.epochSeconds) AND "end" > \(range.start.epochSeconds)
              AND start > \(earliest)
            ORDER BY start
            """
        ).map(AvailabilityWindow.init(postgresRow:))
    }

    func activeSpans(of party: AppointmentParty, id: String, near range: TimeRange) throws -> [TimeRange] {
        let column = party == .doctor ? "doctor_id" : "patient_id"
        // the last bound is implied by the others (no slot is longer) and lets the index stop early
        let earliest = range.start.addingTimeInterval(-AvailabilityRule.longestSlot).epochSeconds
        return try query(
            """
            SELECT start, "end" FROM appointments
            WHERE \(unescaped: column) = \(id) AND status IN \(unescaped: AppointmentStatus.activeSQLList)
              AND start < \(range.end.epochSeconds) AND "end" > \(range.start.epochSeconds) AND start > \(earliest)
            """
        ).map { row in
            let (start, end) = try row.decode((Int64, Int64).self)
            return TimeRange(start: Date(epochSeconds: start), end: Date(epochSeconds: end))
        }
    }

    /// Both parties in one round trip.
    func parties(doctorId: String, patientId: String) throws -> (doctor: UserRecord?, patient: UserRecord?) {
        let found = try query(
            "SELECT \(unescaped: UserRecord.postgresColumns) FROM users WHERE id = \(doctorId) OR id = \(patientId)"
        ).map(UserRecord.init(postgresRow:))
        return (found.first { $0.id == doctorId }, found.first { $0.id == patientId })
    }

    /// Both parties' spans in one round trip; each row says whose it is (the same as two
    /// `activeSpans(of:)` calls, whose bounds it repeats).
    func activeSpans(doctorId: String, patientId: String, near range: TimeRange) throws
        -> (doctor: [TimeRange], patient: [TimeRange])
    {
        let earliest = range.start.addingTimeInterval(-AvailabilityRule.longestSlot).epochSeconds
        var spans: (doctor: [TimeRange], patient: [TimeRange]) = ([], [])
        for row in try query(
            """
            SELECT doctor_id = \(doctorId), patient_id = \(patientId), start, "end" FROM appointments
            WHERE (doctor_id = \(doctorId) OR patient_id = \(patientId))
              AND status IN \(unescaped: AppointmentStatus.activeSQLList)
              AND start < \(range.end.epochSeconds) AND "end" > \(range.start.epochSeconds) AND start > \(earliest)
            """)
        {
            let (ofDoctor, ofPatient, start, end) = try row.decode((Bool, Bool, Int64, Int64).self)
            let span = TimeRange(start: Date(epochSeconds: start), end: Date(epochSeconds: end))
            if ofDoctor { spans.doctor.append(span) }
            if ofPatient { spans.patient.append(span) }
        }
        return spans
    }

    /// Inserts the booking. The exclusion constraints refuse an overlap that another transaction
    /// committed (or is committing) after this one read its facts: bookings of one doctor only
    /// share the windows lock, so the constraints are what keeps two of them off one slot. The
    /// row comes back from the insert itself, with its names (one round trip).
    func insertBooked(_ intent: BookIntent, patientId: String, slot: TimeRange, now: Date) throws -> Appointment {
        do {
            let rows = try query(
                """
                WITH booked AS (
                    INSERT INTO appointments (id, patient_id, doctor_id, start, "end", status, reason, created_at, updated_at)
                    VALUES (\(intent.appointmentId), \(patientId), \(intent.doctorId), \(slot.start.epochSeconds),
                            \(slot.end.epochSeconds), \(AppointmentStatus.booked.rawValue), \(intent.reason),
                            \(now.epochSeconds), \(now.epochSeconds))
                    RETURNING *
                )
                \(unescaped: Appointment.postgresSelect(from: "booked"))
                """)
            guard let row = rows.first else { throw DomainError.notFound("appointment") }
            return try Appointment(postgresRow: row)
        } catch {
            switch PostgresFailure.overlapCode(error) {
            case .slotTaken?: throw OverlapRule.slotTaken
            case .patientBusy?: throw OverlapRule.patientBusy
            default: throw error
            }
        }
    }

    func setCancelled(id: String, reason: String?, now: Date) throws {
        let updated = try execute(
            """
            UPDATE appointments
            SET status = \(AppointmentStatus.cancelled.rawValue), cancel_reason = \(reason), updated_at = \(now.epochSeconds)
            WHERE id = \(id) AND status = \(AppointmentStatus.booked.rawValue)
            """)
        try checkChanged(updated, id: id, on: .cancel)
    }

    func setCompleted(id: String, diagnosis: String?, treatment: String?, now: Date) throws {
        let updated = try execute(
            """
            UPDATE appointments
            SET status = \(AppointmentStatus.completed.rawValue), diagnosis = \(diagnosis), treatment = \(treatment),
                updated_at = \(now.epochSeconds)
            WHERE id = \(id) AND status = \(AppointmentStatus.booked.rawValue)
            """)
        try checkChanged(updated, id: id, on: .complete)
    }

    /// A status update guarded by `status = 'BOOKED'` that changed nothing found a final state
    /// (the flow holds the row, so only a path that skipped its lock gets here): answered with
    /// the lifecycle's own `INVALID_TRANSITION`, as the flow's check would have. The guard keeps
    /// the `appointments_final_states` trigger from aborting the whole transaction.
    private func checkChanged(_ updated: Int, id: String, on event: LifecycleEvent) throws {
        guard updated == 0 else { return }
        guard
            let text = try query("SELECT status FROM appointments WHERE id = \(id)").first?.decode(String.self),
            let status = AppointmentStatus(rawValue: text)
        else { throw DomainError.notFound("appointment") }
        throw Lifecycle.refusal(from: status, on: event)
    }
}
