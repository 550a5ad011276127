import Foundation
import GRDB
import HMSSyncCore

extension SQLiteTransaction: AvailabilityRows {
    // SQLite runs one writer at a time: nothing to hold.
    func lockWindowsForChange(doctorId: String) throws {}

    func insertWindow(_ window: AvailabilityWindow) throws {
        try db.cachedStatement(sql: "INSERT INTO availability (id, doctor_id, start, \"end\", slot_minutes) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [
                window.id, window.doctorId, window.start.epochSeconds, window.end.epochSeconds, window.slotMinutes,
            ])
    }
}
