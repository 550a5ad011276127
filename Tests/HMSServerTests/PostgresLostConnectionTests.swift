import Foundation
import HMSSyncCore
import HMSTestSupport
import Logging
import PostgresNIO
import Testing

@testable import HMSServer

/// Issue 9, "Failure": a statement sent on a connection the database has just closed (a server
/// shutting down) is answered `UNAVAILABLE` at once. postgres-nio drops such a query without
/// completing its future, which used to leave the request waiting for ever.
@Suite("PostgreSQL: a statement on a connection the database closed")
struct PostgresLostConnectionTests {
    static let logger = Logger(label: "hms.test.postgres")

    @Test("fails at once with UNAVAILABLE instead of waiting for an answer that never comes")
    func statementOnClosedConnection() async throws {
        guard let database = try await PostgresTestDatabase.make() else {
            try Test.cancel("PostgreSQL tests skipped: \(PostgresTestDatabase.variable) is not set")
        }
        let url = try PostgresURL(database.url)
        let doomed = try await PostgresConnection.connect(configuration: url.connectionConfiguration(), id: 1, logger: Self.logger)
        let other = try await PostgresConnection.connect(configuration: url.connectionConfiguration(), id: 2, logger: Self.logger)
        let pid = try await doomed.query("SELECT pg_backend_pid()", logger: Self.logger).get().rows.first?.decode(Int32.self)
        _ = try await other.query("SELECT pg_terminate_backend(\(pid))", logger: Self.logger).get()
        try await other.close()
        #expect(try await eventually(within: .seconds(10)) { doomed.isClosed })

        // The statement blocks its thread, as on the server's pool threads: it gets one of its own.
        let box = ResultBox<Int>()
        Thread.detachNewThread {
            box.set(Result { try PostgresTransaction(connection: doomed, logger: Self.logger).query("SELECT 1").count })
        }
        _ = try await eventually(within: .seconds(10), every: .milliseconds(20)) { box.value != nil }
        switch box.value {
        case nil: Issue.record("the statement got no answer within 10 s")
        case .success?: Issue.record("a statement on a closed connection answered rows")
        case .failure(let error)?: #expect((error as? DomainError)?.code == .unavailable, "\(error)")
        }
        try? await doomed.close()
        try await database.drop()
    }
}

/// One result, set from another thread.
private final class ResultBox<T: Sendable>: @unchecked Sendable {
    // @unchecked: `stored` is only touched under `lock`.
    private let lock = NSLock()
    private var stored: Result<T, any Error>?

    func set(_ result: Result<T, any Error>) { lock.withLock { stored = result } }
    var value: Result<T, any Error>? { lock.withLock { stored } }
}
