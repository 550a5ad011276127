import Foundation
import HMSTestSupport

/// The release `hms-server` the bench measures: a test server process (HMSTestSupport) on a
/// SQLite file `NAME.sqlite` in the bench's folder, or on the PostgreSQL database
/// `postgresURL`, with day-long access tokens.
enum BenchServer {
    static func make(executable: String, folder: String, name: String, postgresURL: String? = nil) throws -> ServerProcess {
        let database = postgresURL.map { TestDatabase(postgresURL: $0) }
            ?? TestDatabase(sqlitePath: (folder as NSString).appendingPathComponent("\(name).sqlite"))
        return try ServerProcess(database: database, arguments: ["--access-ttl", "86400"], executable: executable, logFolder: folder)
    }
}

extension ServerProcess {
    /// The SQLite file the bench seeds and measures directly.
    var databasePath: String { database.sqlitePath ?? "" }

    /// A client for the bench's own calls, patient with long pushes and pulls.
    var api: RESTClient { RESTClient(base: url, timeout: 600) }

    /// The access token of `email`.
    func login(_ email: String, _ password: String = TestAccounts.adminPassword) async throws -> String {
        try await ClinicBuilder(rest: api).login(email, password).accessToken
    }
}
