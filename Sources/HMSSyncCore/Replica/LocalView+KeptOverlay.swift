import Foundation
import GRDB

/// The kept replay (`overlay` table): valid while nothing it was made from has changed since.
/// Triggers on `server_rows` and `intents` count every write in `view_version.inputs` (writers
/// outside this code included); the overlay records the count it was made at.
extension LocalView {
    static func overlayIsKept(_ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT overlay IS inputs FROM view_version") ?? false
    }

    /// Keeps the replay, inside a write transaction, after the last write to the intents or the
    /// server rows: only what changed when the overlay was already kept, else all of it.
    func keep() throws {
        if !isKept { try db.execute(sql: "DELETE FROM overlay") }
        let put = try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO overlay (id, json, doctor_id, patient_id, start, "end", status) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        let encoder = RFC3339.makeEncoder()
        for appointment in changed.values {
            try put.execute(arguments: [
                appointment.id, try cipher.seal(encoder.encode(appointment), at: .overlay(id: appointment.id)),
                appointment.doctorId, appointment.patientId, Int64(appointment.start.timeIntervalSince1970),
                Int64(appointment.end.timeIntervalSince1970), appointment.status.rawValue,
            ])
        }
        try db.execute(sql: "UPDATE view_version SET overlay = inputs")
    }

    /// One kept appointment, opened.
    func keptAppointment(_ id: String) throws -> Appointment? {
        guard let sealed = try Data.fetchOne(db.cachedStatement(sql: "SELECT json FROM overlay WHERE id = ?"), arguments: [id])
        else { return nil }
        return try RFC3339.makeDecoder().decode(Appointment.self, from: try cipher.open(sealed, at: .overlay(id: id)))
    }

    /// Every appointment the replay touched, by id.
    func replayedAppointments() throws -> [String: Appointment] {
        var all: [String: Appointment] = [:]
        if isKept {
            let decoder = RFC3339.makeDecoder()
            for row in try Row.fetchAll(db, sql: "SELECT id, json FROM overlay") {
                let id: String = row["id"]
                all[id] = try decoder.decode(Appointment.self, from: try cipher.open(row["json"], at: .overlay(id: id)))
            }
        }
        all.merge(changed) { _, new in new }
        return all
    }
}
