import Foundation
import GRDB
import HMSSyncCore

extension SQLiteStore {
    static func penalty(_ row: Row) -> Penalty {
        Penalty(id: row["id"], patientId: row["patient_id"], appointmentId: row["appointment_id"],
                doctorId: row["doctor_id"], reason: row["reason"], createdAt: Date(epochSeconds: row["created_at"]))
    }

    /// Penalties newest first, optionally of one patient.
    func penalties(patientId: String?, after cursor: ListCursor?, limit: Int) async throws -> [Penalty] {
        try await pool.read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let patientId { conditions.append("patient_id = ?"); arguments += [patientId] }
            if let cursor { conditions.append("(created_at, id) < (?, ?)"); arguments += [cursor.key, cursor.id] }
            var sql = "SELECT * FROM penalties"
            if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
            sql += " ORDER BY created_at DESC, id DESC LIMIT ?"
            arguments += [limit]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.penalty)
        }
    }

    /// `GET /v1/admin/metrics`, counted by SQL; each list the top 100 by count.
    func noShowMetrics() async throws -> NoShowMetrics {
        try await pool.read { db in
            NoShowMetrics(
                totalNoShows: try Int.fetchOne(db, sql: "SELECT count(*) FROM appointments WHERE status = 'NO_SHOW'") ?? 0,
                penaltiesByPatient: try Row.fetchAll(
                    db,
                    sql: """
                        SELECT p.patient_id, u.name, count(*) AS n FROM penalties p JOIN users u ON u.id = p.patient_id
                        GROUP BY p.patient_id ORDER BY n DESC, p.patient_id LIMIT 100
                        """
                ).map { .init(patientId: $0["patient_id"], name: $0["name"], count: $0["n"]) },
                noShowsByDoctor: try Row.fetchAll(
                    db,
                    sql: """
                        SELECT a.doctor_id, u.name, count(*) AS n FROM appointments a JOIN users u ON u.id = a.doctor_id
                        WHERE a.status = 'NO_SHOW' GROUP BY a.doctor_id ORDER BY n DESC, a.doctor_id LIMIT 100
                        """
                ).map { .init(doctorId: $0["doctor_id"], name: $0["name"], count: $0["n"]) })
        }
    }
}

