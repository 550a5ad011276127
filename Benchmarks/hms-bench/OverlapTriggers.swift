import Foundation
import GRDB

/// The server's two overlap triggers, read from a database file, and a variant bounded below
/// (an overlapping appointment starts less than the longest slot, 240 minutes, before the new
/// one) that the bench can swap in to show what the open range costs. Not shipped.
struct OverlapTriggers {
    let names: [String]
    let shipped: [String]

    static let lowerBound = #"AND a.start > NEW.start - 14400"#

    init(_ db: Database) throws {
        let rows = try Row.fetchAll(
            db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'appointments_no_%_overlap' ORDER BY name")
        names = rows.map { $0["name"] }
        shipped = rows.map { $0["sql"] }
    }

    var bounded: [String] {
        shipped.map { $0.replacingOccurrences(of: #"AND a.start < NEW."end""#, with: #"AND a.start < NEW."end" "# + Self.lowerBound) }
    }

    /// Replaces the triggers by `definitions` (same names).
    func install(_ definitions: [String], in db: Database) throws {
        for name in names { try db.execute(sql: "DROP TRIGGER \(name)") }
        for sql in definitions { try db.execute(sql: sql) }
    }

    /// Swaps the triggers of the file at `path` (server stopped).
    static func swap(path: String, bounded: Bool) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            let triggers = try OverlapTriggers(db)
            guard triggers.names.count == 2 else { throw BenchError("expected the two overlap triggers, found \(triggers.names)") }
            if bounded {
                guard !triggers.shipped.contains(where: { $0.contains(lowerBound) }) else { return }
                try triggers.install(triggers.bounded, in: db)
            } else {
                try triggers.install(triggers.shipped.map { $0.replacingOccurrences(of: " " + lowerBound, with: "") }, in: db)
            }
        }
    }
}
