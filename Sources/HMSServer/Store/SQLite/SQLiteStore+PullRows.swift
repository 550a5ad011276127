import Foundation
import GRDB
import HMSSyncCore

extension SQLiteStore {
    /// Rows by id, in their REST shapes; a thing absent here is sent as deleted.
    static func rows(_ db: Database, entity: ChangeEntity?, ids: [String], now: Date) throws
        -> [String: any CanonicalRow]
    {
        var result: [String: any CanonicalRow] = [:]
        let marks = databaseQuestionMarks(count: ids.count)
        let arguments = StatementArguments(ids)
        // one id is a change being recorded (`rowHash`): its few statements are worth caching;
        // a page's id lists vary in length, so theirs are not
        func fetch(_ sql: String, arguments: StatementArguments) throws -> [Row] {
            ids.count == 1 ? try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
                : try Row.fetchAll(db, sql: sql, arguments: arguments)
        }
        switch entity {
        case .doctor:
            for row in try fetch("SELECT * FROM users WHERE id IN (\(marks))", arguments: arguments) {
                let record = UserRecord(row: row)
                result[record.id] = record.doctor.directoryEntry
            }
        case .patient:
            for row in try fetch("SELECT * FROM users WHERE id IN (\(marks))", arguments: arguments) {
                let record = UserRecord(row: row)
                result[record.id] = record.user
            }
        case .availability:
            for row in try fetch("SELECT * FROM availability WHERE id IN (\(marks))", arguments: arguments) {
                let window = window(row)
                result[window.id] = window
            }
        case .appointment:
            for row in try fetch(appointmentSelect + " WHERE a.id IN (\(marks))", arguments: arguments) {
                let appointment = appointment(row)
                result[appointment.id] = appointment
            }
        case .busy:
            // put only while the appointment is active and its slot has not ended, else delete
            let sql = """
                SELECT b.id, a.doctor_id, a.start, a."end" FROM busy b JOIN appointments a ON a.id = b.appointment_id
                WHERE b.id IN (\(marks)) AND b.ended = 0 AND a.status IN ('BOOKED', 'COMPLETED') AND a."end" > ?
                """
            for row in try fetch(sql, arguments: arguments + [now.epochSeconds]) {
                let busy = BusyRow(id: row["id"], doctorId: row["doctor_id"], start: Date(epochSeconds: row["start"]),
                                   end: Date(epochSeconds: row["end"]))
                result[busy.id] = busy
            }
        case .penalty:
            for row in try fetch("SELECT * FROM penalties WHERE id IN (\(marks))", arguments: arguments) {
                let penalty = penalty(row)
                result[penalty.id] = penalty
            }
        case nil:
            break
        }
        return result
    }
}
