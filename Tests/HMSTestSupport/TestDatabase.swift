import Foundation
import Synchronization

/// One test's database on one backend: a SQLite file in the test's folder, or a fresh PostgreSQL
/// database on the test server (`PostgresTestDatabase`), dropped by ``drop()`` or else when the
/// last holder lets go. Servers started on it share it (a restart, two processes on one database).
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
    private let dropped = Mutex(false)

    /// A new empty database on `backend`; for SQLite the file `name` in `folder` (made by the
    /// server at its first start).
    public static func make(_ backend: TestBackend, in folder: TempFolder, name: String = "hms.sqlite") async throws
        -> TestDatabase
    {
        switch backend {
        case .sqlite:
            return TestDatabase(location: .sqlite(path: folder.file(name)), postgres: nil, folder: folder)
        case .postgres:
            await postgresPlaces.acquire()
            do {
                // TestBackend.all names .postgres only when a server is named or in CI, where make() throws
                guard let database = try await PostgresTestDatabase.make() else {
                    throw TestFailure("a PostgreSQL case ran while \(PostgresTestDatabase.variable) is not set")
                }
                return TestDatabase(location: .postgres(url: database.url), postgres: database, folder: nil)
            } catch {
                postgresPlaces.release()
                throw error
            }
        }
    }

    /// How many PostgreSQL test databases exist at once (`HMS_TEST_POSTGRES_DATABASES`, 8 unless
    /// set). Swift Testing starts every case at once; each database has a server with a connection
    /// pool of its own, and the test server takes a few hundred connections in all.
    static let postgresPlaces = AsyncLimiter(
        limit: ProcessInfo.processInfo.environment["HMS_TEST_POSTGRES_DATABASES"].flatMap { Int($0) } ?? 8)

    /// An existing SQLite file that outlives the test (the benchmark's).
    public convenience init(sqlitePath: String) {
        self.init(location: .sqlite(path: sqlitePath), postgres: nil, folder: nil)
    }

    /// An existing PostgreSQL database its maker drops (the benchmark's).
    public convenience init(postgresURL: String) {
        self.init(location: .postgres(url: postgresURL), postgres: nil, folder: nil)
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

    /// Drops a PostgreSQL database now (closing what is still connected); nothing on SQLite,
    /// whose file goes with its folder.
    public func drop() async throws {
        guard let postgres, dropped.withLock({ done in defer { done = true }; return !done }) else { return }
        defer { Self.postgresPlaces.release() }
        try await postgres.drop()
    }

    deinit {
        guard let postgres, !dropped.withLock({ $0 }) else { return }
        // A deinit cannot wait, so the drop runs on by itself; a database a finished test run
        // leaves behind goes with the throwaway test server.
        Task.detached {
            try? await postgres.drop()
            Self.postgresPlaces.release()
        }
    }
}
