import HMSTestSupport

/// Fresh PostgreSQL databases for the bench's runs, made on the `--postgres` server.
enum BenchDatabase {
    /// Runs `body` with the URL of a new empty database, dropped afterwards (also when `body` throws).
    static func withPostgres(on server: String, _ body: (String) async throws -> Void) async throws {
        let database = try await PostgresTestDatabase.make(onServer: server)
        do {
            try await body(database.url)
        } catch {
            try? await database.drop()
            throw error
        }
        try await database.drop()
    }
}
