import Foundation

/// Where the authoritative data lives.
enum DatabaseLocation: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(url: String)
}

/// A setting that stops the start, with the one line that names it.
struct ConfigError: Error, CustomStringConvertible {
    let setting: String
    let problem: String
    var description: String { "\(setting): \(problem)" }
}

/// Every server setting of CONTRACT.md §7, resolved once: flag, else environment, else default.
struct Config: Sendable {
    var host = "127.0.0.1"
    var port = 8080
    var database = DatabaseLocation.sqlite(path: "./hms-data/hms.sqlite")
    /// nil: made once and kept in the data folder.
    var jwtSecret: String?
    var adminEmail = "admin@hms.local"
    /// nil: made once and printed once when the admin is created.
    var adminPassword: String?
    var accessTTL = 900
    var refreshTTL = 2_592_000
    var refreshGrace = 30
    var clinicName = "HMS Clinic"
    var noShowInterval = 600
    var noShowGrace = 900
    /// Seconds before an appointment's start from which its reminder is due; 0: no reminders
    /// (`HMS_REMINDER_LEAD`, CONTRACT.md §9.4).
    var reminderLead = 86_400
    var clinicTimeZone = "UTC"
    var smtpURL: String?
    var mailFrom: String?
    var rateLimit = 600
    var clockOffset = 0
    /// bcrypt cost; not in the contract: tests lower it, production keeps 12.
    var bcryptCost = 12
    /// Seconds between mail outbox passes (`HMS_MAIL_POLL_INTERVAL`, CONTRACT.md §9.1).
    var mailPollInterval = 5
    /// Seconds before the first retry of a refused message, doubling per attempt up to an hour;
    /// not in the contract.
    var mailRetryBase = 30
    /// Seconds a token family lives from its login, however often refreshed (CONTRACT.md §9.1).
    var sessionMaxAge = 7_776_000
    /// PEM files of the server's certificate (chain) and private key; both set: HTTPS only.
    var tlsCert: String?
    var tlsKey: String?
    /// Plain HTTP on a non-loopback address (behind a TLS-terminating proxy).
    var allowPlainHTTP = false
    /// nil: required unless the SMTP host is loopback (see `smtpRequiresTLS`).
    var smtpRequireTLS: Bool?
    /// Seconds a connection may stay silent, and the longest a request may take to arrive;
    /// not in the contract: tests shorten it.
    var idleTimeout = 30
    /// The folder of the web console's static files, served at `/app/` (`HMS_CONSOLE_DIR`; not in
    /// the contract): relative paths are taken from the working directory.
    var consoleDir = "./Console"

    /// The sender of escalation mail.
    var mailSender: String { mailFrom ?? "hms@\(mailDomain)" }

    /// The domain of Message-IDs: the sender's, else `hms.local`.
    var mailDomain: String {
        guard let from = mailFrom, let at = from.lastIndex(of: "@") else { return "hms.local" }
        let domain = from[from.index(after: at)...].trimmingCharacters(in: CharacterSet(charactersIn: "> "))
        return domain.isEmpty ? "hms.local" : domain
    }

    /// The folder beside the database that keeps the made-once secret.
    var dataFolder: String {
        switch database {
        case .sqlite(let path): (path as NSString).deletingLastPathComponent.isEmpty
            ? "." : (path as NSString).deletingLastPathComponent
        case .postgres: "./hms-data"
        }
    }
}

extension Config {
    /// Reads settings from `values` (flag values first, then environment variables, by variable name).
    static func resolve(_ value: (String) -> String?) throws -> Config {
        var config = Config()
        if let host = value("HMS_HOST") { config.host = host }
        config.port = try integer("HMS_PORT", value, default: config.port, in: 1...65_535)
        if let url = value("HMS_DATABASE_URL") { config.database = try databaseLocation(url) }
        if let secret = value("HMS_JWT_SECRET") {
            guard secret.utf8.count >= 32 else {
                throw ConfigError(setting: "HMS_JWT_SECRET", problem: "must be at least 32 bytes long (it is \(secret.utf8.count))")
            }
            config.jwtSecret = secret
        }
        if let email = value("HMS_ADMIN_EMAIL") {
            guard email.contains("@") else { throw ConfigError(setting: "HMS_ADMIN_EMAIL", problem: "is not an email address") }
            config.adminEmail = email
        }
        if let password = value("HMS_ADMIN_PASSWORD") {
            guard (try? PasswordRule.validate(password)) != nil else {
                throw ConfigError(setting: "HMS_ADMIN_PASSWORD", problem: "must be 8 to 72 bytes of UTF-8, without NUL")
            }
            config.adminPassword = password
        }
        config.accessTTL = try integer("HMS_ACCESS_TTL", value, default: config.accessTTL, in: 1...86_400 * 365)
        config.refreshTTL = try integer("HMS_REFRESH_TTL", value, default: config.refreshTTL, in: 1...86_400 * 3650)
        config.refreshGrace = try integer("HMS_REFRESH_GRACE", value, default: config.refreshGrace, in: 0...3_600)
        if let name = value("HMS_CLINIC_NAME") { config.clinicName = name }
        config.noShowInterval = try integer("HMS_NO_SHOW_INTERVAL", value, default: config.noShowInterval, in: 0...86_400 * 7)
        config.noShowGrace = try integer("HMS_NO_SHOW_GRACE", value, default: config.noShowGrace, in: 0...86_400 * 7)
        config.reminderLead = try integer("HMS_REMINDER_LEAD", value, default: config.reminderLead, in: 0...86_400 * 30)
        if let zone = value("HMS_CLINIC_TZ") {
            guard TimeZone(identifier: zone) != nil else {
                throw ConfigError(setting: "HMS_CLINIC_TZ", problem: "'\(zone)' is not a known time zone")
            }
            config.clinicTimeZone = zone
        }
        if let smtp = value("HMS_SMTP_URL") {
            guard smtp.hasPrefix("smtp://") || smtp.hasPrefix("smtps://") else {
                throw ConfigError(setting: "HMS_SMTP_URL", problem: "must look like smtp://host:port")
            }
            config.smtpURL = smtp
        }
        if let from = value("HMS_MAIL_FROM") { config.mailFrom = from }
        config.rateLimit = try integer("HMS_RATE_LIMIT", value, default: config.rateLimit, in: 1...10_000_000)
        config.clockOffset = try integer("HMS_CLOCK_OFFSET", value, default: 0, in: -315_360_000...315_360_000)
        config.bcryptCost = try integer("HMS_BCRYPT_COST", value, default: config.bcryptCost, in: 4...31)
        config.mailPollInterval = try integer("HMS_MAIL_POLL_INTERVAL", value, default: config.mailPollInterval, in: 1...3_600)
        config.mailRetryBase = try integer("HMS_MAIL_RETRY_BASE", value, default: config.mailRetryBase, in: 1...3_600)
        config.sessionMaxAge = try integer("HMS_SESSION_MAX_AGE", value, default: config.sessionMaxAge, in: 60...315_360_000)
        if let folder = value("HMS_CONSOLE_DIR"), !folder.isEmpty { config.consoleDir = folder }
        try config.resolveTransport(value)
        return config
    }

    private static func integer(_ name: String, _ value: (String) -> String?, default fallback: Int, in range: ClosedRange<Int>)
        throws -> Int
    {
        guard let text = value(name) else { return fallback }
        guard let number = Int(text), range.contains(number) else {
            throw ConfigError(setting: name, problem: "'\(text)' is not a whole number in \(range.lowerBound)...\(range.upperBound)")
        }
        return number
    }

    private static func databaseLocation(_ url: String) throws -> DatabaseLocation {
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            return .postgres(url: url)
        }
        let path = url.hasPrefix("sqlite://") ? String(url.dropFirst("sqlite://".count)) : url
        guard !path.isEmpty, !path.contains("://") else {
            throw ConfigError(setting: "HMS_DATABASE_URL", problem: "must be a SQLite file path, sqlite://PATH or postgres://…")
        }
        return .sqlite(path: path)
    }
}
