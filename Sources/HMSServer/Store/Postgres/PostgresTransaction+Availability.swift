import Foundation
import HMSSyncCore
import PostgresNIO

/// `lockWindowsForChange` is in `PostgresTransaction+Locks.swift`.
extension PostgresTransaction: AvailabilityRows {
    func insertWindow(_ window: AvailabilityWindow) throws {
        try execute(
            """
            INSERT INTO availability (id, doctor_id, start, "end", slot_minutes)
            VALUES (\(window.id), \(window.doctorId), \(window.start.epochSeconds), \(window.end.epochSeconds),
                    \(window.slotMinutes))
            """)
    }
}
