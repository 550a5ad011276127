import PostgresNIO

/// The start-up failures of a PostgreSQL `HMS_DATABASE_URL`, each as one `ConfigError` line
/// that says what is wrong and never contains the password.
enum PostgresStartupError {
    /// `error`, thrown while connecting to `url`, as the line the operator reads.
    static func configError(for error: any Error, url: PostgresURL) -> ConfigError {
        func problem(_ text: String) -> ConfigError { ConfigError(setting: PostgresURL.setting, problem: text) }
        guard let error = error as? PSQLError else {
            return problem("cannot reach PostgreSQL at \(url.endpoint)")
        }
        switch (error.code, error.sqlState) {
        case (.server, "28P01"):
            return problem("PostgreSQL refused the password of user '\(url.user)'")
        case (.server, "28000"):
            return problem("PostgreSQL refused user '\(url.user)' (no such role, or not allowed to connect)")
        case (.server, "3D000"):
            return problem("PostgreSQL has no database '\(url.database)'")
        case (.sslUnsupported, _):
            return problem("PostgreSQL at \(url.endpoint) does not offer TLS; add ?sslmode=disable or ?sslmode=prefer")
        case (.server, let state?):
            return problem("PostgreSQL at \(url.endpoint) refused the connection (SQLSTATE \(state))")
        default:
            return problem("cannot reach PostgreSQL at \(url.endpoint)")
        }
    }
}
