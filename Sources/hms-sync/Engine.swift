import Foundation
import HMSSyncCore
import HMSSyncCurl

/// How long the server may stay silent before a command gives up with exit 3: the contract's
/// 30 s, or `HMS_SYNC_TIMEOUT` seconds when set (so drills and tests need not wait 30 s).
func silenceLimit() throws -> Int {
    guard let text = ProcessInfo.processInfo.environment["HMS_SYNC_TIMEOUT"], !text.isEmpty else { return 30 }
    guard let seconds = Int(text), (1...3_600).contains(seconds) else {
        throw CLIFailure.usage("HMS_SYNC_TIMEOUT must be a whole number of seconds in 1...3600")
    }
    return seconds
}

/// The sync engine the CLI uses: libcurl, giving up after `silenceLimit()` seconds without an
/// answer, progress on stderr when it is a terminal.
func makeEngine(_ replica: Replica, quiet: Bool = false) throws -> SyncEngine {
    let showProgress = Output.stderrIsTerminal && !quiet
    let limit = try silenceLimit()
    return SyncEngine(
        replica: replica, transport: CurlTransport(connectTimeout: min(10, limit), totalTimeout: limit),
        retry: RetryPolicy(silenceLimit: TimeInterval(limit))
    ) { progress in
        guard showProgress else { return }
        switch progress.phase {
        case .pushing: FileHandle.standardError.write(Data("\rpushing \(progress.pending) intents…".utf8))
        case .pulling: FileHandle.standardError.write(Data("\rpulled \(progress.rows) changes in \(progress.pages) pages…".utf8))
        case .done: FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        }
    }
}

/// The signed-in session, or exit 4.
func requireSession(_ replica: Replica) throws -> Session {
    guard let session = try replica.session() else { throw CLIFailure.replica(.loginNeeded("not signed in; run `hms-sync login`")) }
    return session
}

/// An RFC 3339 option value, or a usage error naming the option.
func parseTime(_ text: String, option: String) throws -> Date {
    guard let date = RFC3339.parse(text) else {
        throw CLIFailure.usage("\(option) must be an RFC 3339 time such as 2026-11-25T10:00:00Z")
    }
    return date
}

/// An id option value, or a usage error naming the option.
func parseId(_ text: String, option: String) throws -> String {
    guard let uuid = UUID(uuidString: text) else { throw CLIFailure.usage("\(option) must be a UUID") }
    return uuid.uuidString.lowercased()
}
