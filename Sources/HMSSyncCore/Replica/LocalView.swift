import Foundation
import GRDB

/// The local view: the server's rows with every recorded intent (pending, or applied but not
/// yet pulled) replayed on top, in recording order, through the shared domain rules. Each intent
/// replays with the time it was recorded; one the rules refuse now is left out of the view.
///
/// The replay is kept in the `overlay` table (`LocalView+KeptOverlay`) while nothing it reads has
/// changed, so recording one more intent reads only the rows of its doctor, its patient and its
/// appointment instead of replaying every pending intent.
struct LocalView {
    let db: Database
    let actor: Actor
    let cipher: ReplicaCipher
    /// Appointments the replay changed and the `overlay` table does not hold yet, by id.
    private(set) var changed: [String: Appointment] = [:]
    /// Whether the `overlay` table holds the replay of every recorded intent over the server rows.
    let isKept: Bool

    init(_ db: Database, actor: Actor, cipher: ReplicaCipher) throws {
        self.db = db
        self.actor = actor
        self.cipher = cipher
        isKept = try Self.overlayIsKept(db)
        if isKept { return }
        let rows = try Row.fetchAll(db, sql: "SELECT seq, name, args, created_at FROM intents ORDER BY seq")
        let decoder = RFC3339.makeDecoder()
        for row in rows {
            let sealedArgs = try cipher.open(row["args"], at: .intentArgs(seq: row["seq"]))
            guard let args = try? decoder.decode(JSONValue.self, from: sealedArgs),
                let intent = try? IntentArgs.intent(name: row["name"], args: args)
            else { continue }
            _ = try? apply(intent, now: Date(timeIntervalSince1970: TimeInterval(row["created_at"] as Int64)))
        }
    }

    /// Applies one intent to the view, or throws the rule it breaks.
    mutating func apply(_ intent: Intent, now: Date) throws -> Appointment {
        switch intent {
        case .book(let book):
            let checked = try IntentRule.authorize(book, by: actor)
            if let existing = try appointment(checked.appointmentId) {
                guard
                    BookingRule.isSameBooking(
                        checked, storedDoctorId: existing.doctorId, storedPatientId: existing.patientId,
                        storedStart: existing.start, storedReason: existing.reason)
                else {
                    throw DomainError(.duplicate, "that appointment id is already used for another booking")
                }
                return existing
            }
            let slot = try BookingRule.decide(start: checked.start, facts: try facts(for: checked, now: now))
            let doctor = try serverRow("doctor", checked.doctorId, as: Doctor.self)
            let patientName = checked.patientId == actor.userId
                ? try db.storedUser(cipher)?.name ?? ""
                : try serverRow("patient", checked.patientId ?? "", as: User.self)?.name ?? ""
            let booked = Appointment(
                id: checked.appointmentId, patientId: checked.patientId ?? actor.userId, doctorId: checked.doctorId,
                start: slot.start, end: slot.end, status: .booked, reason: checked.reason, diagnosis: nil,
                treatment: nil, cancelReason: nil, createdAt: now, updatedAt: now,
                doctor: .init(id: checked.doctorId, name: doctor?.name ?? "", specialty: doctor?.specialty ?? ""),
                patient: .init(id: checked.patientId ?? actor.userId, name: patientName))
            changed[booked.id] = booked
            return booked
        case .cancel(let cancel):
            let checked = try IntentRule.authorize(cancel, by: actor)
            var current = try visible(checked.appointmentId)
            current.status = try Lifecycle.next(from: current.status, on: .cancel, slot: current.slot, now: now)
            current.cancelReason = checked.reason
            current.updatedAt = now
            changed[current.id] = current
            return current
        case .complete(let complete):
            let checked = try IntentRule.authorize(complete, by: actor)
            var current = try visible(checked.appointmentId)
            current.status = try Lifecycle.next(from: current.status, on: .complete, slot: current.slot, now: now)
            current.diagnosis = checked.diagnosis
            current.treatment = checked.treatment
            current.updatedAt = now
            changed[current.id] = current
            return current
        case .reschedule(let reschedule):
            return try apply(IntentRule.authorize(reschedule, by: actor), now: now)
        }
    }

    /// A move, as the server makes it (`IntentFlow.reschedule`): a re-send answers the stored new
    /// appointment; else the old one is cancelled and the new one booked, or neither.
    private mutating func apply(_ reschedule: RescheduleIntent, now: Date) throws -> Appointment {
        var old = try visible(reschedule.appointmentId)
        let booking = reschedule.booking(replacing: old)
        if let existing = try appointment(booking.appointmentId),
            BookingRule.isSameBooking(
                booking, storedDoctorId: existing.doctorId, storedPatientId: existing.patientId,
                storedStart: existing.start, storedReason: existing.reason)
        {
            return existing
        }
        old.status = try Lifecycle.next(from: old.status, on: .cancel, slot: old.slot, now: now)
        old.cancelReason = RescheduleIntent.cancelReason
        old.updatedAt = now
        let before = changed
        changed[old.id] = old
        do {
            return try apply(.book(booking), now: now)
        } catch {
            changed = before
            throw error
        }
    }

    /// The appointment as the view shows it: the replayed state, else the server's row.
    func appointment(_ id: String) throws -> Appointment? {
        if let replayed = try replayed(id) { return replayed }
        return try serverRow("appointment", id, as: Appointment.self)
    }

    /// The appointment as the replay left it, or nil when no recorded intent touched it.
    func replayed(_ id: String) throws -> Appointment? {
        if let replayed = changed[id] { return replayed }
        return isKept ? try keptAppointment(id) : nil
    }

    func visible(_ id: String) throws -> Appointment {
        guard let found = try appointment(id),
            IntentRule.canSee(patientId: found.patientId, doctorId: found.doctorId, actor: actor)
        else { throw DomainError.notFound("appointment") }
        return found
    }

    /// The booking facts as this replica knows them.
    private func facts(for book: BookIntent, now: Date) throws -> BookingFacts {
        let near = TimeRange(
            start: book.start.addingTimeInterval(-BookingRule.factsReach), end: book.start.addingTimeInterval(BookingRule.factsReach))
        let doctor = try serverRow("doctor", book.doctorId, as: Doctor.self)
        let patientId = book.patientId ?? actor.userId
        let patientRow = patientId == actor.userId ? nil : try serverRow("patient", patientId, as: User.self)
        let patientExists = patientId == actor.userId || patientRow != nil
        return BookingFacts(
            doctorExists: doctor != nil, doctorBlacklisted: doctor?.blacklisted ?? false, patientExists: patientExists,
            windows: try windows(doctorId: book.doctorId, near: near), doctorBusy: try busy(column: "doctor_id", id: book.doctorId, near: near),
            patientBusy: try busy(column: "patient_id", id: patientId, near: near), now: now)
    }

    /// The doctor's pulled windows that overlap `range`.
    func windows(doctorId: String, near range: TimeRange) throws -> [AvailabilityWindow] {
        try db.serverRows(
            AvailabilityWindow.self, entity: "availability", filter: #"AND doctor_id = ? AND start < ? AND "end" > ? AND start > ?"#,
            arguments: [doctorId, Int64(range.end.timeIntervalSince1970), Int64(range.start.timeIntervalSince1970),
                        Int64(range.start.timeIntervalSince1970 - AvailabilityRule.longestWindow)],
            cipher)
    }

    /// Spans held near `range` by active appointments of one doctor or patient: the server's
    /// `busy` and appointment rows, with the replayed state winning for the ids it touched.
    func busy(column: String, id: String, near range: TimeRange) throws -> [TimeRange] {
        let bounds: StatementArguments = [
            id, Int64(range.end.timeIntervalSince1970), Int64(range.start.timeIntervalSince1970),
            Int64(range.start.timeIntervalSince1970 - AvailabilityRule.longestSlot),
        ]
        let near = #"\#(column) = ? AND start < ? AND "end" > ? AND start > ?"#
        // the server's rows the replay did not touch, then the replay's active ones
        var rows = try Row.fetchAll(
            db,
            sql: """
                SELECT id, start, "end" FROM server_rows
                WHERE entity IN ('busy', 'appointment') AND \(near)
                  AND (status IS NULL OR status IN \(AppointmentStatus.activeSQLList))
                  \(isKept ? "AND id NOT IN (SELECT id FROM overlay)" : "")
                """,
            arguments: bounds)
        if isKept {
            rows += try Row.fetchAll(
                db, sql: #"SELECT id, start, "end" FROM overlay WHERE \#(near) AND status IN \#(AppointmentStatus.activeSQLList)"#,
                arguments: bounds)
        }
        var spans = rows.filter { changed[$0["id"] as String] == nil }.map {
            TimeRange(start: Date(timeIntervalSince1970: TimeInterval($0["start"] as Int64)),
                      end: Date(timeIntervalSince1970: TimeInterval($0["end"] as Int64)))
        }
        let key = column == "doctor_id" ? \Appointment.doctorId : \Appointment.patientId
        spans += changed.values.filter { $0[keyPath: key] == id && $0.status.isActive }.map(\.slot)
        return spans
    }

    func serverRow<T: Decodable>(_ entity: String, _ id: String, as type: T.Type) throws -> T? {
        try db.serverRow(T.self, entity: entity, id: id, cipher)
    }
}
