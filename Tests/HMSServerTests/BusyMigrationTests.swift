import Foundation
import GRDB
import HMSTestSupport
import Testing
@testable import HMSServer

/// Migration `v7-busy-privacy` on a database made before it: busy rows move to derived ids, and
/// every client's cursor resets so no replica keeps a busy row under an appointment id.
/// SQLite-only: it upgrades a SQLite file made by the earlier migrations; PostgreSQL starts at
/// its own schema.
@Suite("Migration v7-busy-privacy")
struct BusyMigrationTests {
    @Test("an older database gets derived busy ids for the slots still held, and a new database id")
    func migratesOlderDatabase() async throws {
        let folder = try TempFolder("migration")
        let path = (folder.path as NSString).appendingPathComponent("old.sqlite")
        let now = Date().epochSeconds
        let (future, past) = ("0b5c1f7e-2f6a-4a55-9e8e-6a1d8c1f0001", "0b5c1f7e-2f6a-4a55-9e8e-6a1d8c1f0002")
        let oldDatabaseId = try await {
            let queue = try DatabaseQueue(path: path)
            try SQLiteStore.migrator.migrate(queue, upTo: "v4-bounded-overlap-triggers")
            return try await queue.write { db in
                try db.execute(sql: """
                    INSERT INTO users (id, name, email, role, password_hash, created_at) VALUES
                        ('d', 'Dr D', 'd@example.com', 'doctor', 'x', 0), ('p', 'Pat', 'p@example.com', 'patient', 'x', 0);
                    INSERT INTO appointments (id, patient_id, doctor_id, start, "end", status, created_at, updated_at) VALUES
                        (?, 'p', 'd', ?, ?, 'BOOKED', 0, 0), (?, 'p', 'd', ?, ?, 'COMPLETED', 0, 0);
                    INSERT INTO changes (entity, entity_id, doctor_id, patient_id) VALUES
                        ('appointment', ?, 'd', 'p'), ('busy', ?, 'd', 'p'), ('appointment', ?, 'd', 'p'), ('busy', ?, 'd', 'p');
                    """,
                    arguments: [future, now + 86_400, now + 88_200, past, now - 7_200, now - 5_400, future, future, past, past])
                return try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'databaseId'")
            }
        }()

        let store = try SQLiteStore(path: path)
        let (busy, changes, databaseId, key) = try store.pool.read { db in
            (try Row.fetchAll(db, sql: "SELECT id, appointment_id, ended FROM busy"),
             try String.fetchAll(db, sql: "SELECT entity_id FROM changes WHERE entity = 'busy'"),
             try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'databaseId'"),
             try SQLiteTransaction(db: db).busyKey())
        }
        let derived = BusyId.derive(appointmentId: future, key: key)
        #expect(busy.map { $0["id"] as String } == [derived])
        #expect(busy.map { $0["appointment_id"] as String } == [future])
        #expect(changes == [derived])
        #expect(derived != future)
        #expect(databaseId != nil && databaseId != oldDatabaseId)
    }
}
