import Foundation
import HMSTestSupport
import HummingbirdTesting
@testable import HMSServer

/// A test's in-process server as its devices meet it: over a real loopback socket, with plain
/// REST calls and the clinic builder beside them, and a folder for the devices' replicas.
struct LiveServer: Sendable {
    /// `http://localhost:PORT`, as a device would be told.
    let url: String
    /// The server's database, for checks no endpoint offers (stored mutation results).
    let database: TestDatabase
    /// A folder for replica files.
    let folder: TempFolder
    let rest: RESTClient
    let clinic: ClinicBuilder

    /// Runs `body` against a fresh server on `backend`, and drops its database afterwards;
    /// `clockOffset` and `accessTTL` as HMS_CLOCK_OFFSET and HMS_ACCESS_TTL.
    static func run<T: Sendable>(
        _ backend: TestBackend, clockOffset: Int = 0, accessTTL: Int = 900, _ body: @Sendable (LiveServer) async throws -> T
    ) async throws -> T {
        let server = try await TestServer(backend) { config in
            config.clockOffset = clockOffset
            config.accessTTL = accessTTL
        }
        do {
            let value = try await server.withClient(.live) { client in
                guard let port = client.port else { throw TestFailure("the live test server has no port") }
                let url = "http://localhost:\(port)"
                let rest = RESTClient(base: url)
                return try await body(
                    LiveServer(url: url, database: server.database, folder: server.folder, rest: rest,
                               clinic: ClinicBuilder(rest: rest)))
            }
            try await server.database.drop()
            return value
        } catch {
            try? await server.database.drop()
            throw error
        }
    }

    /// A new replica file in the test's folder.
    func replicaPath(_ name: String) -> String { folder.file("replica-\(name)-\(UUID().uuidString.prefix(8)).sqlite") }
}
