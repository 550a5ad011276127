import Foundation
import HMSSyncCore
import HMSTestSupport
import Testing
@testable import HMSServer

extension TestDatabase {
    /// The stored status of an appointment, nil when there is none.
    func status(of appointmentId: String) async throws -> String? {
        try await string("SELECT status FROM appointments WHERE id = $1", [.text(appointmentId)])
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
