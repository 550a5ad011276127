import ArgumentParser
import Foundation
import HMSLocalServer
import HMSSyncCore
import HMSSyncCurl
import Logging

struct Serve: CLICommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the web console on 127.0.0.1 from the replica, syncing in the background.",
        discussion: """
            Prints one line, the address to open: http://127.0.0.1:PORT/app/?token=SECRET (a new secret at \
            every start; the first visit turns it into a cookie). Bookings, cancellations, completions and moves \
            made in the console are recorded as intents, as the CLI records them, and synced every --interval \
            seconds and right after each one. Works with no network; stop it with Ctrl-C.
            """)
    @OptionGroup var common: CommonOptions
    @Option(help: "The port on 127.0.0.1") var port: Int = 8081
    @Option(help: "Seconds between background syncs") var interval: Int = 30
    @Option(help: "Folder of the web console (default: $HMS_CONSOLE_DIR or ./Console)") var consoleDir: String?

    func execute() async throws {
        guard (1...65_535).contains(port) else { throw CLIFailure.usage("--port must be in 1...65535") }
        guard interval > 0 else { throw CLIFailure.usage("--interval must be at least 1") }
        let folder = consoleDir ?? ProcessInfo.processInfo.environment["HMS_CONSOLE_DIR"].flatMap { $0.isEmpty ? nil : $0 }
            ?? "./Console"
        guard FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent("index.html")) else {
            throw CLIFailure.usage("no web console in \(folder): give its folder with --console-dir")
        }
        let replica = try common.openReplica()
        _ = try requireSession(replica)
        // a sync gives up after 10 s (or the interval, if shorter) without an answer, so a dead
        // network shows as offline soon and "Sync now" answers; the loop then retries with backoff
        let silence = min(try silenceLimit(), interval, 10)
        let engine = SyncEngine(
            replica: replica, transport: CurlTransport(connectTimeout: min(10, silence), totalTimeout: silence),
            retry: RetryPolicy(silenceLimit: TimeInterval(silence)))
        // logs go to stderr: stdout carries the one address line only
        var logger = Logger(label: "hms-sync-serve") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .notice
        let server = LocalServer(
            replica: replica, engine: engine, port: port, interval: .seconds(interval), consoleFolder: folder, logger: logger)
        let url = server.url
        do {
            // Output.line writes straight to the file descriptor: nothing is left in a buffer
            try await server.run { Output.line(url) }
        } catch {
            throw CLIFailure.usage("cannot serve on 127.0.0.1:\(port) (is it in use?)")
        }
    }
}
