import Foundation
import HMSSyncCore
import HMSTestSupport
import Testing

@testable import HMSServer

/// The backends the account and audit store tests run on (Swift Testing `arguments:`); the
/// PostgreSQL cases skip, saying why, when no test server is named.
enum AccountBackend: String, CaseIterable, CustomStringConvertible {
    case sqlite
    case postgres

    var description: String { rawValue }
}

/// Stores for one test each: SQLite in a new temporary folder, PostgreSQL in a new database.
enum AccountStores {
    /// Runs `body` on a new store of `backend`.
    static func with(_ backend: AccountBackend, _ body: (any AccountStore & AuditStore) async throws -> Void)
        async throws
    {
        switch backend {
        case .sqlite: try await withSQLite { try await body($0) }
        case .postgres: try await withPostgres { try await body($0) }
        }
    }

    /// Runs `body` on a `PostgresStore` on a fresh database, or skips the test without a server.
    static func withPostgres(_ body: (PostgresStore) async throws -> Void) async throws {
        let database = try await PostgresFoundationTests.freshDatabase()
        let store: PostgresStore
        do {
            store = try await PostgresStore.open(url: database.url, logger: PostgresFoundationTests.logger)
        } catch {
            try? await database.drop()
            throw error
        }
        do {
            try await body(store)
        } catch {
            await store.close()
            try? await database.drop()
            throw error
        }
        await store.close()
        try await database.drop()
    }

    /// Runs `body` on a `SQLiteStore` in a new temporary folder, removed afterwards.
    static func withSQLite(_ body: (SQLiteStore) async throws -> Void) async throws {
        let folder = (NSTemporaryDirectory() as NSString).appendingPathComponent("hms-accounts-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try SQLiteStore(path: (folder as NSString).appendingPathComponent("hms.sqlite"))
        do {
            try await body(store)
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }

    /// A new account's fields; the email is made from the id unless given.
    static func newUser(
        _ id: String, name: String? = nil, email: String? = nil, role: Role = .patient, specialty: String? = nil
    ) -> NewUser {
        NewUser(
            id: id, name: name ?? id, email: email ?? "\(id)@clinic.test", role: role, passwordHash: "hash-\(id)",
            specialty: specialty)
    }

    /// The error `body` throws, nil when it returns.
    static func error(_ body: () async throws -> Void) async -> (any Error)? {
        do {
            try await body()
            return nil
        } catch {
            return error
        }
    }

    /// The refusal of a refresh, nil when a token was issued.
    static func refusal(_ outcome: RefreshOutcome) -> DomainError? {
        if case .refused(let error) = outcome { error } else { nil }
    }

    /// A request's audit trail, as `AuditMiddleware` sets it, for checking what a write appends.
    static func trail(action: String) -> AuditTrail {
        AuditTrail(
            action: action, entity: "user", pathId: nil, caller: nil, requestId: "req-\(action)", clientIp: "127.0.0.1",
            note: AuditNote(), clock: AppClock(offset: 0))
    }
}
