import Foundation
import GRDB

/// What compiling a statement for every query costs: the server runs its queries with
/// `Row.fetchAll(db, sql:)` / `db.execute(sql:)`, which prepare the SQL anew each time (and
/// GRDB's authorizer records the tables and columns it reads); a cached statement does not.
enum StatementBench {
    /// The server's appointment-by-id query (Store.appointmentSelect + `WHERE a.id = ?`).
    static let sql = """
        SELECT a.*, d.name AS doctor_name, d.specialty AS doctor_specialty, p.name AS patient_name
        FROM appointments a JOIN users d ON d.id = a.doctor_id JOIN users p ON p.id = a.patient_id
        WHERE a.id = ?
        """

    static func run(path: String) throws {
        let queue = try DatabaseQueue(path: path)
        let (uncached, cached) = try queue.read { db in
            let ids = try String.fetchAll(db, sql: "SELECT id FROM appointments ORDER BY random() LIMIT 2000")
            let fresh = try Measure.time { for id in ids { _ = try Row.fetchOne(db, sql: sql, arguments: [id]) } }.seconds
            let statement = try db.cachedStatement(sql: sql)
            let reused = try Measure.time { for id in ids { _ = try Row.fetchOne(statement, arguments: [id]) } }.seconds
            return (fresh / Double(ids.count), reused / Double(ids.count))
        }
        Report.figure("one appointment-by-id query, compiled each time", "\(String(format: "%.1f", uncached * 1e6)) µs")
        Report.figure("the same with a cached statement", "\(String(format: "%.1f", cached * 1e6)) µs")
    }
}
