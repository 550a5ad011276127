import ArgumentParser
import Foundation

/// `hms-server backup --to PATH [--force]`: an online copy of the embedded SQLite database
/// (CONTRACT.md §9.9), with the server's database setting. PostgreSQL has its own tools.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the embedded SQLite database while the server runs, and verify the copy.",
        discussion: """
            The copy is consistent, mode 0600, checked with PRAGMA integrity_check, and carries a new \
            history epoch. To restore: stop the server, put the copy in place of the database (without \
            the old -wal and -shm files), start the server. For PostgreSQL use pg_dump or base backups \
            with WAL archiving (docs/operations.md).
            """)

    @Option(help: "Where to write the copy") var to: String
    @Flag(help: "Replace an existing file at --to") var force = false
    @Option(help: "SQLite path, sqlite://PATH or postgres://… [HMS_DATABASE_URL]") var databaseUrl: String?

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let config: Config
        do {
            let url = databaseUrl ?? environment["HMS_DATABASE_URL"]
            config = try Config.resolve { name in name == "HMS_DATABASE_URL" ? url : nil }
        } catch let error as ConfigError {
            FileHandle.standardError.write(Data("hms-server backup: bad setting \(error)\n".utf8))
            throw ExitCode(78)
        }
        guard case .sqlite(let path) = config.database else {
            FileHandle.standardError.write(Data(
                "hms-server backup: the database is PostgreSQL; back it up with pg_dump or base backups with WAL archiving (docs/operations.md)\n".utf8))
            throw ExitCode(2)
        }
        do {
            let report = try SQLiteBackup.copy(from: path, to: to, replacing: force)
            print("backup: \(to), \(report.bytes) bytes in \(String(format: "%.2f", report.seconds)) s, integrity ok")
        } catch let failure as SQLiteBackup.Failure {
            FileHandle.standardError.write(Data("hms-server backup: \(failure.description)\n".utf8))
            throw ExitCode(1)
        } catch {
            FileHandle.standardError.write(Data("hms-server backup: the copy failed: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
