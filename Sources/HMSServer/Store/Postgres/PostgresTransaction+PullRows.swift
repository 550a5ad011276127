import Foundation
import HMSSyncCore
import PostgresNIO

extension PostgresTransaction {
    /// The rows a pull sends for `ids` of `entity`, by id, in their REST shapes; a thing absent
    /// here is sent as deleted.
    func presentRows(of entity: ChangeEntity?, ids: [String], now: Date) throws -> [String: any CanonicalRow] {
        var result: [String: any CanonicalRow] = [:]
        switch entity {
        case .doctor:
            for record in try users(ids) { result[record.id] = record.doctor.directoryEntry }
        case .patient:
            for record in try users(ids) { result[record.id] = record.user }
        case .availability:
            let rows = try query(
                "SELECT \(unescaped: AvailabilityWindow.postgresColumns) FROM availability WHERE id = ANY(\(ids))")
            for window in try rows.map(AvailabilityWindow.init(postgresRow:)) { result[window.id] = window }
        case .appointment:
            let rows = try query("\(unescaped: Appointment.postgresSelect) WHERE a.id = ANY(\(ids))")
            for appointment in try rows.map(Appointment.init(postgresRow:)) { result[appointment.id] = appointment }
        case .busy:
            // put only while the appointment is active and its slot has not ended, else delete
            let rows = try query(
                """
                SELECT b.id, a.doctor_id, a.start, a."end" FROM busy b JOIN appointments a ON a.id = b.appointment_id
                WHERE b.id = ANY(\(ids)) AND NOT b.ended AND a.status IN \(unescaped: AppointmentStatus.activeSQLList)
                  AND a."end" > \(now.epochSeconds)
                """)
            for row in rows {
                let (id, doctorId, start, end) = try row.decode((String, String, Int64, Int64).self)
                result[id] = BusyRow(id: id, doctorId: doctorId, start: Date(epochSeconds: start), end: Date(epochSeconds: end))
            }
        case .penalty:
            let rows = try query("SELECT \(unescaped: Penalty.postgresColumns) FROM penalties WHERE id = ANY(\(ids))")
            for penalty in try rows.map(Penalty.init(postgresRow:)) { result[penalty.id] = penalty }
        case nil:
            break
        }
        return result
    }

    private func users(_ ids: [String]) throws -> [UserRecord] {
        try query("SELECT \(unescaped: UserRecord.postgresColumns) FROM users WHERE id = ANY(\(ids))")
            .map(UserRecord.init(postgresRow:))
    }
}
