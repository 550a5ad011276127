import Foundation
import GRDB
import HMSTestSupport

/// A replica file as `hms-sync` wrote it before encryption (schema `v1-replica`, every value
/// in clear): a signed-in patient with a pulled doctor, window and completed appointment, one
/// pending booking and one rejected booking.
struct OldReplica {
    let userId = "6a0c1f7e-3b2d-4c5e-8f90-1a2b3c4d5e6f"
    let doctorId = "7b1d2e8f-4c3e-4d6f-9a01-2b3c4d5e6f70"
    let appointmentId = "8c2e3f90-5d4f-4e70-8b12-3c4d5e6f7081"
    let pendingId = "9d3f4a01-6e50-4f81-9c23-4d5e6f708192"
    let rejectedId = "ae4a5b12-7f61-4a92-8d34-5e6f708192a3"
    let clientId = "bf5b6c23-8a72-4ba3-9e45-6f708192a3b4"
    let name = "Wilhelmina Ashcombe-Tregarthen"
    let email = "wilhelmina.ashcombe@hms.test"
    let reason = "recurring chest tightness on stairs"
    let diagnosis = "exercise-induced bronchospasm"
    let treatment = "salbutamol before exertion"
    let pendingReason = "review of the inhaler technique"
    let rejectedReason = "second opinion on the spirometry"
    let rejectionMessage = "that slot was taken on the server"
    let accessToken = "old-access-token-0a1b2c3d4e5f"
    let refreshToken = "old-refresh-token-5f4e3d2c1b0a"

    /// Everything a stolen file must not give away.
    var secrets: [String] {
        [name, email, reason, diagnosis, treatment, pendingReason, rejectedReason, rejectionMessage, accessToken, refreshToken]
    }

    /// Writes the file at `path` with the v1 schema, exactly as its migration created it.
    func write(to path: String, slot: Date) throws {
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        let start = iso(slot), end = iso(slot.addingTimeInterval(1800))
        let later = iso(slot.addingTimeInterval(2 * 3600)), other = iso(slot.addingTimeInterval(3 * 3600))
        let created = Int64(slot.timeIntervalSince1970) - 86_400
        try queue.write { db in
            try db.execute(sql: Self.v1Schema)
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v1-replica')")
            let state: [(String, String)] = [
                ("server", "http://127.0.0.1:9"), ("user", #"{"id":"\#(userId)","name":"\#(name)","email":"\#(email)","role":"patient"}"#),
                ("accessToken", accessToken), ("refreshToken", refreshToken), ("clinicTimeZone", "UTC"), ("clientId", clientId),
                ("nextMutationId", "3"), ("cursor", "b2xkLWN1cnNvcg"), ("lastMutationId", "1"), ("lastSyncAt", iso(slot)),
            ]
            for (key, value) in state {
                try db.execute(sql: "INSERT INTO state (key, value) VALUES (?, ?)", arguments: [key, value])
            }
            // rows as the pull stored them: JSON with sorted keys, and the clear columns the rules query
            try db.execute(
                sql: "INSERT INTO server_rows (entity, id, json, doctor_id) VALUES ('doctor', ?, ?, ?)",
                arguments: [doctorId, #"{"blacklisted":false,"id":"\#(doctorId)","name":"Dr Penhaligon","specialty":"Respiratory"}"#, doctorId])
            try db.execute(
                sql: "INSERT INTO server_rows (entity, id, json, doctor_id, start, \"end\") VALUES ('availability', ?, ?, ?, ?, ?)",
                arguments: [appointmentId + "-w",
                            #"{"doctorId":"\#(doctorId)","end":"\#(iso(slot.addingTimeInterval(8 * 3600)))","id":"\#(appointmentId)-w","slotMinutes":30,"start":"\#(start)"}"#,
                            doctorId, Int64(slot.timeIntervalSince1970), Int64(slot.timeIntervalSince1970) + 8 * 3600])
            try db.execute(
                sql: """
                    INSERT INTO server_rows (entity, id, json, doctor_id, patient_id, start, "end", status)
                    VALUES ('appointment', ?, ?, ?, ?, ?, ?, 'COMPLETED')
                    """,
                arguments: [appointmentId,
                            #"{"cancelReason":null,"createdAt":"\#(start)","diagnosis":"\#(diagnosis)","doctor":{"id":"\#(doctorId)","name":"Dr Penhaligon","specialty":"Respiratory"},"doctorId":"\#(doctorId)","end":"\#(end)","id":"\#(appointmentId)","patient":{"id":"\#(userId)","name":"\#(name)"},"patientId":"\#(userId)","reason":"\#(reason)","start":"\#(start)","status":"COMPLETED","treatment":"\#(treatment)","updatedAt":"\#(end)"}"#,
                            doctorId, userId, Int64(slot.timeIntervalSince1970), Int64(slot.timeIntervalSince1970) + 1800])
            // intents' args as the outbox encoded them
            try db.execute(
                sql: """
                    INSERT INTO intents (client_id, mutation_id, name, args, appointment_id, state, created_at)
                    VALUES (?, 2, 'book', ?, ?, 'pending', ?)
                    """,
                arguments: [clientId,
                            #"{"appointmentId":"\#(pendingId)","doctorId":"\#(doctorId)","reason":"\#(pendingReason)","start":"\#(later)"}"#,
                            pendingId, created])
            try db.execute(
                sql: """
                    INSERT INTO rejections (client_id, mutation_id, name, args, code, message, rejected_at)
                    VALUES (?, 1, 'book', ?, 'SLOT_TAKEN', ?, ?)
                    """,
                arguments: [clientId,
                            #"{"appointmentId":"\#(rejectedId)","doctorId":"\#(doctorId)","reason":"\#(rejectedReason)","start":"\#(other)"}"#,
                            rejectionMessage, created])
        }
    }

    /// `v1-replica` as shipped.
    static let v1Schema = """
        CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
        CREATE TABLE state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE server_rows (
            entity TEXT NOT NULL,
            id TEXT NOT NULL,
            json TEXT NOT NULL,
            doctor_id TEXT,
            patient_id TEXT,
            start INTEGER,
            "end" INTEGER,
            status TEXT,
            PRIMARY KEY (entity, id)
        ) WITHOUT ROWID;
        CREATE INDEX server_rows_doctor ON server_rows (entity, doctor_id, start);
        CREATE INDEX server_rows_patient ON server_rows (entity, patient_id, start);
        CREATE TABLE intents (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            client_id TEXT NOT NULL,
            mutation_id INTEGER NOT NULL,
            name TEXT NOT NULL,
            args TEXT NOT NULL,
            appointment_id TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('pending', 'applied')),
            created_at INTEGER NOT NULL,
            UNIQUE (client_id, mutation_id)
        );
        CREATE TABLE rejections (
            client_id TEXT NOT NULL,
            mutation_id INTEGER NOT NULL,
            name TEXT NOT NULL,
            args TEXT NOT NULL,
            code TEXT NOT NULL,
            message TEXT NOT NULL,
            rejected_at INTEGER NOT NULL,
            PRIMARY KEY (client_id, mutation_id)
        );
        """
}
