import Foundation
import HMSSyncCore
import HMSTestSupport
import Testing

/// Two `hms-server` processes on one database, as behind a load balancer; both share the JWT
/// secret (`TestAccounts`), so a token from one is good at the other. On SQLite the pair shares
/// one file (serialized writers): the baseline the PostgreSQL backend must match.
struct ServerPair: Sendable {
    let first: ServerProcess
    let second: ServerProcess
    var both: [ServerProcess] { [first, second] }

    /// Runs `body` with a started pair on a new database of `backend`, or on `database` when given.
    static func with(
        _ backend: TestBackend, on given: TestDatabase? = nil, _ body: (ServerPair) async throws -> Void
    ) async throws {
        let database: TestDatabase
        if let given { database = given } else { database = try await TestDatabase.make(backend, in: TempFolder("pair")) }
        let pair = ServerPair(first: try ServerProcess(database: database), second: try ServerProcess(database: database))
        do {
            if backend == .postgres {
                // Started together: the migrations run under an advisory lock, not in turn.
                async let a: Void = pair.first.start()
                async let b: Void = pair.second.start()
                _ = try await (a, b)
            } else {
                // Two processes creating one SQLite file at once race to switch it to WAL; a
                // SQLite clinic runs one server, so the baseline starts them in turn.
                try await pair.first.start()
                try await pair.second.start()
            }
            try await body(pair)
        } catch {
            for server in pair.both { print("hms-server log (\(server.port)): \(server.stderr.suffix(3_000))") }
            await pair.stopAll()
            try? await database.drop()
            throw error
        }
        await pair.stopAll()
        try await database.drop()
    }

    func stopAll() async {
        for server in both { await server.stop() }
    }
}

extension RESTClient {
    /// A call with a plain JSON body: its status and its JSON, whatever the status.
    func call(_ method: String, _ path: String, _ body: [String: any Sendable]? = nil, token: String? = nil)
        async throws -> (status: Int, json: Any?)
    {
        let data = try body.map { try JSONSerialization.data(withJSONObject: $0 as [String: Any]) }
        let answer = try await send(method, path, token: token, body: data)
        return (answer.status, answer.json)
    }
}
