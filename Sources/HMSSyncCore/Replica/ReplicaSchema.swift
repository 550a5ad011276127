import Foundation
import GRDB

/// The replica's tables; migration ids never change once shipped.
enum ReplicaSchema {
    /// Every migration: the keyless ones, then the one that seals what older versions kept in
    /// clear (`ReplicaSealing`).
    static func migrator(sealingWith cipher: ReplicaCipher) -> DatabaseMigrator {
        var migrator = keyless
        migrator.registerMigration("v3-sealed-values") { db in try ReplicaSealing.sealInPlace(db, cipher) }
        migrator.registerMigration("v4-rejection-alternatives") { db in
            // a SLOT_TAKEN rejection's alternatives (CONTRACT.md §9.2), sealed like the rest of the row
            try db.execute(sql: "ALTER TABLE rejections ADD COLUMN alternatives BLOB")
        }
        migrator.registerMigration("v5-journal") { db in
            try db.execute(sql: """
                -- intents the server applied, kept 30 days after, so that work a server restored from
                -- a backup has lost can be sent again (CONTRACT.md §9.9); args sealed like the outbox's
                CREATE TABLE journal (
                    client_id TEXT NOT NULL,
                    mutation_id INTEGER NOT NULL,
                    seq INTEGER NOT NULL,
                    name TEXT NOT NULL,
                    args BLOB NOT NULL,
                    appointment_id TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    applied_at INTEGER NOT NULL,
                    PRIMARY KEY (client_id, mutation_id)
                );
                CREATE INDEX journal_applied ON journal (applied_at);
                """)
        }
        migrator.registerMigration("v6-repair") { db in
            try db.execute(sql: """
                -- the rows a repair pull under way has received, of the entities it repairs: at its
                -- last page the others are dropped (CONTRACT.md §9.6)
                CREATE TABLE repair_seen (entity TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (entity, id)) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v7-kept-overlay") { db in
            try db.execute(sql: """
                -- the local view's replay of the recorded intents over the server rows, kept between
                -- commands so that recording one more intent needn't replay them all (LocalView);
                -- sealed like the server rows, with the same clear columns for the local rules
                CREATE TABLE overlay (
                    id TEXT PRIMARY KEY,
                    json BLOB NOT NULL,
                    doctor_id TEXT NOT NULL,
                    patient_id TEXT NOT NULL,
                    start INTEGER NOT NULL,
                    "end" INTEGER NOT NULL,
                    status TEXT NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX overlay_doctor ON overlay (doctor_id, start);
                CREATE INDEX overlay_patient ON overlay (patient_id, start);

                -- `inputs` counts every write to what the replay reads, `rows` every write to the
                -- server rows (triggers, so writers outside this code count too); `overlay` is the
                -- count the kept overlay was made at (Replica+Checksum keeps its own for `rows`)
                CREATE TABLE view_version (
                    id INTEGER PRIMARY KEY CHECK (id = 1), inputs INTEGER NOT NULL, overlay INTEGER, rows INTEGER NOT NULL
                );
                INSERT INTO view_version (id, inputs, overlay, rows) VALUES (1, 0, NULL, 0);
                """)
            for table in ["server_rows", "intents"] {
                let counts = table == "server_rows" ? "inputs = inputs + 1, rows = rows + 1" : "inputs = inputs + 1"
                for event in ["INSERT", "UPDATE", "DELETE"] {
                    try db.execute(sql: """
                        CREATE TRIGGER \(table)_\(event.lowercased())_view_version AFTER \(event) ON \(table)
                        BEGIN UPDATE view_version SET \(counts); END
                        """)
                }
            }
        }
        migrator.registerMigration("v8-canonical-rows") { db in
            // server rows as their canonical bytes (CONTRACT.md §9.6), which the checksum hashes as
            // they are; earlier versions kept JSONSerialization's sorted-keys text
            let rows = try Row.fetchAll(db, sql: "SELECT entity, id, json FROM server_rows")
            let put = try db.makeStatement(sql: "UPDATE server_rows SET json = ? WHERE entity = ? AND id = ?")
            for row in rows {
                let entity: String = row["entity"], id: String = row["id"]
                guard let text = try? cipher.open(row["json"], at: .serverRow(entity: entity, id: id)),
                    let value = try? JSONDecoder().decode(JSONValue.self, from: text)
                else { continue }
                let canonical = String(decoding: CanonicalJSON.data(value), as: UTF8.self)
                try put.execute(arguments: [try cipher.seal(canonical, at: .serverRow(entity: entity, id: id)), entity, id])
            }
        }
        return migrator
    }

    /// The migrations that need no key, run first so the replica's id can be read before its
    /// key is asked for.
    static var keyless: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-replica") { db in
            try db.execute(sql: """
                -- sign-in and sync state: server, user, tokens, clientId, cursor, counters
                CREATE TABLE state (key TEXT PRIMARY KEY, value TEXT NOT NULL);

                -- the server's rows as pulled, kept as JSON, with the columns the local rules query
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

                -- recorded intents: 'pending' until a push handles them, then 'applied' until a
                -- complete pull covers them (they stay in the local replay meanwhile)
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

                -- intents the server refused, for the user to read
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
                """)
        }
        migrator.registerMigration("v2-replica-meta") { db in
            try db.execute(sql: """
                -- in clear, about the file itself: the random replica id (names the replica's key in
                -- a key store), the key check, and whether old plaintext still needs scrubbing
                CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
                """)
            try db.execute(
                sql: "INSERT INTO meta (key, value) VALUES ('replicaId', ?)", arguments: [RandomID.make()])
        }
        return migrator
    }
}
