import Foundation
import HMSSyncCore

/// The sync engine the CLI uses: libcurl, giving up after 30 s without an answer, progress on
/// stderr when it is a terminal.
func makeEngine(_ replica: Replica, quiet: Bool = false) -> SyncEngine {
    let showProgress = Output.stderrIsTerminal && !quiet
    return SyncEngine(
        replica: replica, transport: CurlTransport(connectTimeout: 10, totalTimeout: 30),
        retry: RetryPolicy(silenceLimit: 30)
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
