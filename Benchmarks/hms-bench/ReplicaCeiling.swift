import Crypto
import Foundation
import GRDB

/// The client's side of a first sync without the client: the rows a replica holds after it,
/// already sealed, inserted again into a fresh copy of its `server_rows` table (same schema,
/// indexes and write-counting triggers, WAL, `synchronous = FULL`, one transaction per page of
/// 5,000); and AES-GCM sealing of plaintexts of the same sizes. Together they bound what any
/// replica store could do here.
enum ReplicaCeiling {
    static func run(replicaPath: String, folder: String) throws {
        let source = try DatabaseQueue(path: replicaPath)
        let (schema, rows) = try source.read { db in
            // the table, its indexes and the triggers that count its writes, with the table they update
            (try String.fetchAll(db, sql: """
                SELECT sql FROM sqlite_master WHERE tbl_name IN ('view_version', 'server_rows') AND sql IS NOT NULL
                ORDER BY tbl_name = 'server_rows', type = 'trigger'
                """)
                + ["INSERT INTO view_version (id, inputs, overlay, rows) VALUES (1, 0, NULL, 0)"],
             try Row.fetchAll(db, sql: #"SELECT entity, id, json, doctor_id, patient_id, start, "end", status FROM server_rows"#))
        }
        let path = (folder as NSString).appendingPathComponent("replica-ceiling.sqlite")
        try? FileManager.default.removeItem(atPath: path)
        let target = try DatabaseQueue(path: path)
        try target.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL")
            for statement in schema { try db.execute(sql: statement) }
        }
        let page = 5_000
        let (insertSeconds, _) = try Measure.time {
            for start in stride(from: 0, to: rows.count, by: page) {
                try target.write { db in
                    let put = try db.cachedStatement(sql: """
                        INSERT OR REPLACE INTO server_rows (entity, id, json, doctor_id, patient_id, start, "end", status)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """)
                    for row in rows[start..<min(start + page, rows.count)] {
                        try put.execute(arguments: StatementArguments((0..<8).map { row[$0] as DatabaseValue }))
                    }
                }
            }
        }
        Report.figure("  ceiling: its rows, sealed, into a fresh server_rows",
                      "\(Measure.count(Double(rows.count) / insertSeconds)) rows/s (pages of \(Measure.count(Double(page))), FULL)")
        // a sealed value is a format byte, a 12-byte nonce, the ciphertext and a 16-byte tag
        let sizes = rows.map { max(($0[2] as Data).count - 29, 0) }
        let key = SymmetricKey(size: .bits256)
        let plaintexts = sizes.map { Data(repeating: 0x61, count: $0) }
        let place = Data("server_rows.json".utf8)
        let (sealSeconds, _) = try Measure.time {
            for plaintext in plaintexts { _ = try AES.GCM.seal(plaintext, using: key, authenticating: place) }
        }
        Report.figure("  ceiling: AES-GCM sealing rows of those sizes", "\(Measure.count(Double(rows.count) / sealSeconds)) rows/s")
    }
}
