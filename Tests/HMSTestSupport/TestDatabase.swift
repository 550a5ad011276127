import Foundation

/// One test's database on one backend: a SQLite file in the test's folder, or a fresh PostgreSQL
/// database on the test server (`PostgresTestDatabase`), dropped when the last holder lets go.
/// Servers started on it share it (a restart, two processes on one database).
public final class TestDatabase: Sendable {
    /// Where the database lives, as the server's settings name it.
    public enum Location: Sendable, Equatable {
        case sqlite(path: String)
        case postgres(url: String)
    }

    public let location: Location
    /// The PostgreSQL database, nil on SQLite.
    let postgres: PostgresTestDatabase?
    /// Keeps the SQLite file's folder while the database is in use.
    private let folder: TempFolder?

    /// A new empty database on `backend`; for SQLite the file `name` in `folder` (made by the
    /// server at its first start).
    public static func make(_ backend: TestBackend, in folder: TempFolder, name: String = "hms.sqlite") async throws
        -> TestDatabase
    {
        switch backend {
        case .sqlite:
            return TestDatabase(location: .sqlite(path: folder.file(name)), postgres: nil, folder: folder)
        case .postgres:
            // TestBackend.all names .postgres only when a server is named or in CI, where make() throws
            guard let database = try await PostgresTestDatabase.make() else {
                throw TestFailure("a PostgreSQL case ran while \(PostgresTestDatabase.variable) is not set")
            }
            return TestDatabase(location: .postgres(url: database.url), postgres: database, folder: nil)
        }
    }

    /// An existing SQLite file that outlives the test (the benchmark's).
    public convenience init(sqlitePath: String) {
        self.init(location: .sqlite(path: sqlitePath), postgres: nil, folder: nil)
    }

    private init(location: Location, postgres: PostgresTestDatabase?, folder: TempFolder?) {
        self.location = location
        self.postgres = postgres
        self.folder = folder
    }

    public var backend: TestBackend {
        switch location {
        case .sqlite: .sqlite
        case .postgres: .postgres
        }
    }

    /// What `HMS_DATABASE_URL` and `--database-url` take: the SQLite path or the postgres:// URL.
    public var url: String {
        switch location {
        case .sqlite(let path): path
        case .postgres(let url): url
        }
    }

    /// The SQLite file's path; nil on PostgreSQL.
    public var sqlitePath: String? {
        if case .sqlite(let path) = location { return path }
        return nil
    }

    deinit {
        guard let postgres else { return }
        // A deinit cannot wait, so the drop runs on by itself; a database a finished test run
        // leaves behind goes with the throwaway test server.
        Task.detached { try? await postgres.drop() }
    }
}
