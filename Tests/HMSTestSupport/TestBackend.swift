/// The store backends a server test runs on, for Swift Testing's `arguments:`.
///
/// Both when `HMS_TEST_POSTGRES_URL` names a test server, and in CI always (where a missing URL
/// fails each PostgreSQL case with ``PostgresTestDatabase/Missing``, never skips it). Elsewhere
/// SQLite alone, and the run prints one line saying the PostgreSQL cases are skipped and why.
public enum TestBackend: String, Sendable, CaseIterable, CustomStringConvertible {
    case sqlite
    case postgres

    /// The backends of this run.
    public static var all: [TestBackend] { selected }

    private static let selected: [TestBackend] = {
        if PostgresTestDatabase.namedURL != nil || PostgresTestDatabase.isCI { return [.sqlite, .postgres] }
        PostgresTestDatabase.announceSkip()
        return [.sqlite]
    }()

    public var description: String { rawValue }
}
