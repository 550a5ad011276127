import Foundation
import GRDB

/// Writes a large clinic straight into the server's SQLite file while the server is stopped,
/// with the same rows and `changes` entries the server's own code paths write (schema:
/// Sources/HMSServer/Store/Store+Migrations.swift). Far faster than pushing a million bookings.
///
/// Appointment `k` is doctor `k % doctors`, slot `k / doctors` (30 minutes each, back to back
/// from `base`), patient `k % patients`: no doctor and no patient ever overlaps.
struct Seeder {
    let path: String
    let base: Date
    let doctorCount: Int
    let patientCount: Int
    private(set) var doctorIds: [String] = []
    private(set) var patientIds: [String] = []
    private(set) var appointments = 0
    private(set) var windowDays = 0
    static let slot: Int64 = 1800

    init(path: String, base: Date, doctors: Int, patients: Int) {
        self.path = path
        self.base = base
        doctorCount = doctors
        patientCount = patients
    }

    private func open() throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        return try DatabaseQueue(path: path, configuration: configuration)
    }

    /// Doctors and patients, with the admin's password hash (nobody logs in as them but one doctor).
    mutating func users() throws {
        let now = Int64(Date().timeIntervalSince1970)
        var doctors: [String] = []
        var patients: [String] = []
        try open().write { db in
            let hash = try String.fetchOne(db, sql: "SELECT password_hash FROM users WHERE role = 'admin'") ?? ""
            let user = try db.makeStatement(sql: """
                INSERT INTO users (id, name, email, email_key, role, password_hash, specialty, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let change = try db.makeStatement(sql: "INSERT INTO changes (entity, entity_id, doctor_id, patient_id) VALUES (?, ?, ?, ?)")
            for index in 0..<doctorCount {
                let id = UUID().uuidString.lowercased()
                try user.execute(arguments: [id, "Doctor \(index)", "doctor\(index)@bench.test", "doctor\(index)@bench.test", "doctor", hash, "Specialty \(index % 7)", now])
                try change.execute(arguments: ["doctor", id, id, nil])
                doctors.append(id)
            }
            for index in 0..<patientCount {
                let id = UUID().uuidString.lowercased()
                try user.execute(arguments: [id, "Patient \(index)", "patient\(index)@bench.test", "patient\(index)@bench.test", "patient", hash, nil, now])
                try change.execute(arguments: ["patient", id, nil, id])
                patients.append(id)
            }
            try Self.checksumsOnNextStart(db)
        }
        doctorIds = doctors
        patientIds = patients
    }

    /// The overlap triggers of the server's schema, to check they are back after seeding.
    func triggerCount() throws -> Int {
        try open().read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%overlap%'") ?? 0
        }
    }

    /// Appointments up to `total`, and 24-hour windows (30-minute slots) for every doctor on
    /// each day they reach plus `spareDays` free days after, in one transaction.
    mutating func appointments(upTo total: Int, spareDays: Int = 3) throws {
        let now = Int64(Date().timeIntervalSince1970)
        let baseSeconds = Int64(base.timeIntervalSince1970)
        let slotsPerDay = 86_400 / Int(Self.slot)
        let lastSlot = (total - 1) / doctorCount
        let days = lastSlot / slotsPerDay + 1 + spareDays
        let (first, firstDay) = (appointments, windowDays)
        let (doctors, patients) = (doctorIds, patientIds)
        try open().write { db in
            // The overlap triggers look at every earlier appointment of the doctor and the patient
            // (their index range is open below), so a million inserts under them take hours. The
            // seeded rows never overlap by construction: the triggers are set aside and put back
            // exactly as they were, in the same transaction.
            let triggers = try String.fetchAll(
                db, sql: "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'appointments' AND sql LIKE '%overlap%'")
            let names = try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'appointments' AND sql LIKE '%overlap%'")
            for name in names { try db.execute(sql: "DROP TRIGGER \(name)") }
            defer { for sql in triggers { try? db.execute(sql: sql) } }
            let window = try db.makeStatement(sql: """
                INSERT INTO availability (id, doctor_id, start, "end", slot_minutes) VALUES (?, ?, ?, ?, 30)
                """)
            let appointment = try db.makeStatement(sql: """
                INSERT INTO appointments (id, patient_id, doctor_id, start, "end", status, reason, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, 'BOOKED', ?, ?, ?)
                """)
            let change = try db.makeStatement(sql: "INSERT INTO changes (entity, entity_id, doctor_id, patient_id) VALUES (?, ?, ?, ?)")
            for day in firstDay..<max(days, firstDay) {
                for doctor in doctors {
                    let id = UUID().uuidString.lowercased()
                    let start = baseSeconds + Int64(day) * 86_400
                    try window.execute(arguments: [id, doctor, start, start + 86_400])
                    try change.execute(arguments: ["availability", id, doctor, nil])
                }
            }
            for k in first..<total {
                let id = UUID().uuidString.lowercased()
                let doctor = doctors[k % doctors.count]
                let patient = patients[k % patients.count]
                let start = baseSeconds + Int64(k / doctors.count) * Self.slot
                try appointment.execute(arguments: [id, patient, doctor, start, start + Self.slot, "seeded \(k)", now, now])
                try change.execute(arguments: ["appointment", id, doctor, patient])
                try change.execute(arguments: ["busy", id, doctor, patient])
            }
            try Self.checksumsOnNextStart(db)
        }
        appointments = max(total, appointments)
        windowDays = max(days, windowDays)
    }

    /// A 24-hour window for every doctor on day `day` after `base`, far beyond the seeded
    /// appointments, where the record benchmark books (later seeding never reaches it).
    func windows(onDay day: Int) throws {
        let start = Int64(base.timeIntervalSince1970) + Int64(day) * 86_400
        try open().write { db in
            let window = try db.makeStatement(sql: """
                INSERT INTO availability (id, doctor_id, start, "end", slot_minutes) VALUES (?, ?, ?, ?, 30)
                """)
            let change = try db.makeStatement(sql: "INSERT INTO changes (entity, entity_id, doctor_id, patient_id) VALUES (?, ?, ?, ?)")
            for doctor in doctorIds {
                let id = UUID().uuidString.lowercased()
                try window.execute(arguments: [id, doctor, start, start + 86_400])
                try change.execute(arguments: ["availability", id, doctor, nil])
            }
            try Self.checksumsOnNextStart(db)
        }
    }

    /// The seeded changes carry no row hashes (they need the server's row shapes), so the pull
    /// checksums' schema is set back to before migration `v10-scope-checksums`: the server's next
    /// start computes every hash and sum again, exactly as for a database made before it.
    private static func checksumsOnNextStart(_ db: Database) throws {
        guard try db.tableExists("scope_sums") else { return }
        try db.execute(sql: """
            DROP TABLE scope_sums;
            ALTER TABLE changes DROP COLUMN hash;
            DELETE FROM grdb_migrations WHERE identifier = 'v10-scope-checksums';
            """)
    }
}
