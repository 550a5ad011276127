import Foundation
import GRDB
import HMSSyncCore
import Testing
@testable import HMSServer

extension TestServer {
    /// A second connection pool on the test's database, as another server process would open it.
    func openStore() throws -> SQLiteStore { try SQLiteStore(path: databasePath) }

    /// The same database, restarted with the server clock reading `instant` (give or take a second).
    func restarted(at instant: Date, _ change: (inout Config) -> Void = { _ in }) -> TestServer {
        restarted { config in
            config.clockOffset = Int(instant.timeIntervalSinceNow.rounded(.up))
            change(&config)
        }
    }
}

extension SQLiteStore {
    /// Runs `sql` on a read connection and answers the first column of its first row.
    func scalar(_ sql: String, _ arguments: StatementArguments = []) async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: sql, arguments: arguments) ?? 0 }
    }

    func status(of appointmentId: String) async throws -> String? {
        try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT status FROM appointments WHERE id = ?", arguments: [appointmentId])
        }
    }
}

/// `{markedNoShow, penaltiesCreated, emailsQueued}` as the contract writes it.
struct SweepCounts: Codable, Sendable, Equatable {
    let markedNoShow: Int
    let penaltiesCreated: Int
    let emailsQueued: Int

    init(_ markedNoShow: Int, _ penaltiesCreated: Int, _ emailsQueued: Int) {
        self.markedNoShow = markedNoShow
        self.penaltiesCreated = penaltiesCreated
        self.emailsQueued = emailsQueued
    }
}

/// The answers' shapes, decoded with the server's own types.
typealias PenaltyItem = Penalty
typealias AuditItem = AuditEntry
typealias NoShowReport = NoShowMetrics

extension API {
    func sweep(_ token: String?) async throws -> Reply {
        try await post("/v1/admin/jobs/no-show", token: token)
    }

    func sweepOK(_ token: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> SweepCounts {
        try expectOK(try await sweep(token), sourceLocation: sourceLocation)
    }

    func appointment(_ token: String, _ id: String, sourceLocation: SourceLocation = #_sourceLocation) async throws
        -> Appointment
    {
        try expectOK(try await get("/v1/appointments/\(id)", token: token), sourceLocation: sourceLocation)
    }

    /// Every item of a list endpoint, following `nextCursor` to the end.
    func all<Item: Codable & Sendable>(_ uri: String, token: String, of: Item.Type = Item.self) async throws -> [Item] {
        var items: [Item] = []
        var cursor: String?
        repeat {
            let separator = uri.contains("?") ? "&" : "?"
            let page = try await page(
                uri + (cursor.map { "\(separator)cursor=\($0)" } ?? ""), token: token, of: Item.self)
            items += page.items
            cursor = page.nextCursor
        } while cursor != nil
        return items
    }

    /// Every change a fresh client of `token`'s user pulls, to the end.
    func pullAll(_ token: String) async throws -> [Change] {
        let clientId = UUID().uuidString.lowercased()
        var changes: [Change] = []
        var cursor: String?
        while true {
            var uri = "/v1/sync/pull?clientId=\(clientId)&schemaVersion=1"
            if let cursor { uri += "&cursor=\(cursor)" }
            let page: PullResponse = try expectOK(try await get(uri, token: token))
            changes += page.changes
            cursor = page.cursor
            if !page.hasMore { return changes }
        }
    }
}

/// Checks `condition` every `every` until it holds or `timeout` passes; answers whether it held.
func eventually(
    within timeout: Duration, every: Duration = .milliseconds(100), _ condition: () async throws -> Bool
) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while true {
        if try await condition() { return true }
        if ContinuousClock.now >= deadline { return false }
        try await Task.sleep(for: every)
    }
}
