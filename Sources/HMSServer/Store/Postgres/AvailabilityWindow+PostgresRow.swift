import Foundation
import HMSSyncCore
import PostgresNIO

extension AvailabilityWindow {
    /// The `availability` columns ``init(postgresRow:)`` reads, in its order.
    static let postgresColumns = #"id, doctor_id, start, "end", slot_minutes"#

    /// A row selected with ``postgresColumns``.
    init(postgresRow row: PostgresRow) throws {
        let (id, doctorId, start, end, slotMinutes) = try row.decode((String, String, Int64, Int64, Int).self)
        self.init(
            id: id, doctorId: doctorId, start: Date(epochSeconds: start), end: Date(epochSeconds: end),
            slotMinutes: slotMinutes)
    }
}
