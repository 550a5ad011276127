import Foundation
import HMSSyncCore
import HMSWebSupport
import PostgresNIO

extension PostgresStore {
    /// Penalties newest first, optionally of one patient (ids in byte order, as SQLite sorts them).
    func penalties(patientId: String?, after cursor: ListCursor?, limit: Int) async throws -> [Penalty] {
        var builder = PostgresQueryBuilder("SELECT \(Penalty.postgresColumns) FROM penalties")
        var conditions: [String] = []
        if let patientId { conditions.append("patient_id = \(builder.bind(patientId))") }
        if let cursor {
            let position = "(\(builder.bind(cursor.epochKey)), \(builder.bind(cursor.id)))"
            conditions.append("(created_at, id COLLATE \"C\") < \(position)")
        }
        builder.appendWhere(conditions)
        let limitPlaceholder = builder.bind(limit)
        builder.append(" ORDER BY created_at DESC, id COLLATE \"C\" DESC LIMIT \(limitPlaceholder)")
        let query = builder.query
        return try await read { tx in try tx.query(query).map(Penalty.init(postgresRow:)) }
    }

    /// `GET /v1/admin/metrics`, counted by SQL; each list the top 100 by count.
    func noShowMetrics() async throws -> NoShowMetrics {
        let noShow = AppointmentStatus.noShow.rawValue
        return try await snapshot { tx in
            NoShowMetrics(
                totalNoShows: try tx.query("SELECT count(*) FROM appointments WHERE status = \(noShow)").first?
                    .decode(Int.self) ?? 0,
                penaltiesByPatient: try tx.query(
                    """
                    SELECT p.patient_id, u.name, count(*) AS n FROM penalties p JOIN users u ON u.id = p.patient_id
                    GROUP BY p.patient_id, u.name ORDER BY n DESC, p.patient_id COLLATE "C" LIMIT 100
                    """
                ).map { row in
                    let (patientId, name, count) = try row.decode((String, String, Int).self)
                    return NoShowMetrics.PatientCount(patientId: patientId, name: name, count: count)
                },
                noShowsByDoctor: try tx.query(
                    """
                    SELECT a.doctor_id, u.name, count(*) AS n FROM appointments a JOIN users u ON u.id = a.doctor_id
                    WHERE a.status = \(noShow) GROUP BY a.doctor_id, u.name ORDER BY n DESC, a.doctor_id COLLATE "C" LIMIT 100
                    """
                ).map { row in
                    let (doctorId, name, count) = try row.decode((String, String, Int).self)
                    return NoShowMetrics.DoctorCount(doctorId: doctorId, name: name, count: count)
                })
        }
    }
}
