import ArgumentParser
import Foundation
import Hummingbird
import Logging
import NIOCore

/// `hms-server`: every setting is a flag named after its variable; a flag wins over the variable.
@main
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hms-server",
        abstract: "The HMS appointment server (embedded SQLite by default).",
        discussion: """
            Each option can also be set by the environment variable in brackets; the option wins. \
            `hms-server backup --to PATH` copies the embedded database while the server runs \
            (`hms-server backup --help`).
            """)

    /// `backup` is dispatched by hand: as an ArgumentParser subcommand its `--database-url`
    /// would be taken by this command's option of the same name.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "backup" {
            BackupCommand.main(Array(arguments.dropFirst()))
        } else {
            await main(arguments)
        }
    }

    @Option(help: "Address to listen on [HMS_HOST]") var host: String?
    @Option(help: "Port to listen on [HMS_PORT]") var port: String?
    @Option(help: "SQLite path, sqlite://PATH or postgres://… [HMS_DATABASE_URL]") var databaseUrl: String?
    @Option(help: "JWT signing key, at least 32 bytes [HMS_JWT_SECRET]") var jwtSecret: String?
    @Option(help: "Seeded admin's email [HMS_ADMIN_EMAIL]") var adminEmail: String?
    @Option(help: "Seeded admin's password, used only when the admin is created [HMS_ADMIN_PASSWORD]") var adminPassword: String?
    @Option(help: "Access token lifetime, seconds [HMS_ACCESS_TTL]") var accessTtl: String?
    @Option(help: "Refresh token lifetime, seconds [HMS_REFRESH_TTL]") var refreshTtl: String?
    @Option(help: "Seconds a just-rotated refresh token may be retried [HMS_REFRESH_GRACE]") var refreshGrace: String?
    @Option(help: "Clinic name [HMS_CLINIC_NAME]") var clinicName: String?
    @Option(help: "No-show sweep period, seconds, 0 = off [HMS_NO_SHOW_INTERVAL]") var noShowInterval: String?
    @Option(help: "No-show grace after an appointment's end, seconds [HMS_NO_SHOW_GRACE]") var noShowGrace: String?
    @Option(help: "Seconds before an appointment that its reminder is queued, 0 = off [HMS_REMINDER_LEAD]")
    var reminderLead: String?
    @Option(help: "Clinic time zone [HMS_CLINIC_TZ]") var clinicTz: String?
    @Option(help: "SMTP server, smtp://host:port [HMS_SMTP_URL]") var smtpUrl: String?
    @Option(help: "Sender address of escalation mail [HMS_MAIL_FROM]") var mailFrom: String?
    @Option(help: "Requests a minute per IP and endpoint group [HMS_RATE_LIMIT]") var rateLimit: String?
    @Option(help: "Seconds added to the clock, for drills and tests only [HMS_CLOCK_OFFSET]") var clockOffset: String?
    @Option(help: "bcrypt cost, 4...31 [HMS_BCRYPT_COST]") var bcryptCost: String?
    @Option(help: "Seconds between mail outbox passes [HMS_MAIL_POLL_INTERVAL]") var mailPollInterval: String?
    @Option(help: "Seconds before retrying refused mail, doubling per attempt up to an hour [HMS_MAIL_RETRY_BASE]")
    var mailRetryBase: String?
    @Option(help: "Seconds a login's tokens live at most, however often refreshed [HMS_SESSION_MAX_AGE]")
    var sessionMaxAge: String?
    @Option(help: "PEM certificate (chain) file; with --tls-key the server speaks HTTPS only [HMS_TLS_CERT]") var tlsCert: String?
    @Option(help: "PEM private key file of the certificate [HMS_TLS_KEY]") var tlsKey: String?
    @Flag(help: "Allow plain HTTP on a non-loopback address, behind a TLS-terminating proxy [HMS_ALLOW_PLAIN_HTTP]")
    var allowPlainHttp = false
    @Option(help: "Send mail only over TLS, true or false; default true unless the SMTP host is loopback [HMS_SMTP_REQUIRE_TLS]")
    var smtpRequireTls: String?
    @Option(help: "Folder of the web console served at /app/, default ./Console [HMS_CONSOLE_DIR]") var consoleDir: String?

    func run() async throws {
        let flags: [String: String?] = [
            "HMS_HOST": host, "HMS_PORT": port, "HMS_DATABASE_URL": databaseUrl, "HMS_JWT_SECRET": jwtSecret,
            "HMS_ADMIN_EMAIL": adminEmail, "HMS_ADMIN_PASSWORD": adminPassword, "HMS_ACCESS_TTL": accessTtl,
            "HMS_REFRESH_TTL": refreshTtl, "HMS_REFRESH_GRACE": refreshGrace, "HMS_CLINIC_NAME": clinicName,
            "HMS_NO_SHOW_INTERVAL": noShowInterval, "HMS_NO_SHOW_GRACE": noShowGrace, "HMS_CLINIC_TZ": clinicTz,
            "HMS_REMINDER_LEAD": reminderLead,
            "HMS_SMTP_URL": smtpUrl, "HMS_MAIL_FROM": mailFrom, "HMS_RATE_LIMIT": rateLimit,
            "HMS_CLOCK_OFFSET": clockOffset, "HMS_BCRYPT_COST": bcryptCost, "HMS_MAIL_POLL_INTERVAL": mailPollInterval,
            "HMS_MAIL_RETRY_BASE": mailRetryBase,
            "HMS_SESSION_MAX_AGE": sessionMaxAge,
            "HMS_TLS_CERT": tlsCert, "HMS_TLS_KEY": tlsKey, "HMS_ALLOW_PLAIN_HTTP": allowPlainHttp ? "true" : nil,
            "HMS_SMTP_REQUIRE_TLS": smtpRequireTls,
            "HMS_CONSOLE_DIR": consoleDir,
        ]
        let environment = ProcessInfo.processInfo.environment
        let config: Config
        do {
            config = try Config.resolve { name in (flags[name] ?? nil) ?? environment[name] }
        } catch let error as ConfigError {
            FileHandle.standardError.write(Data("hms-server: bad setting \(error)\n".utf8))
            throw ExitCode(78)
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
        do {
            try await buildApplication(config: config).runService()
        } catch let error as ConfigError {
            FileHandle.standardError.write(Data("hms-server: bad setting \(error)\n".utf8))
            throw ExitCode(78)
        } catch let error as IOError {
            FileHandle.standardError.write(Data("hms-server: cannot listen on \(config.host):\(config.port): \(error.description)\n".utf8))
            throw ExitCode(1)
        }
    }
}
