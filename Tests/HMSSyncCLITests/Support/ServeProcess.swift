import Foundation
import HMSSyncCore
import HMSSyncCurl
import HMSTestSupport
import Testing

/// A real `hms-sync serve` on a free loopback port, started on a `CLI`'s replica, and a client
/// that speaks to it as the browser does: with the secret's cookie and a loopback `Host`.
final class ServeProcess: Sendable {
    let child: ChildProcess
    let port: Int
    /// The one line serve printed: `http://127.0.0.1:PORT/app/?token=SECRET`.
    let url: String
    let secret: String
    private let transport = CurlTransport(connectTimeout: 5, totalTimeout: 60)

    /// The repository's console, which serve's `--console-dir` names.
    static let consoleFolder = Binaries.packageRoot.appendingPathComponent("Console").path

    var base: String { "http://127.0.0.1:\(port)" }
    var cookie: String { "hms_serve_\(port)=\(secret)" }

    /// Starts serve and waits for its address line (it fails the test when none comes in 60 s).
    /// A sync gives up after 2 s without an answer (`HMS_SYNC_TIMEOUT`), so offline is quick.
    init(_ cli: CLI, interval: Int = 1, port: Int? = nil) async throws {
        self.port = try port ?? FreePort.next()
        child = try cli.start(["serve", "--port", String(self.port), "--interval", String(interval),
                               "--console-dir", Self.consoleFolder], environment: ["HMS_SYNC_TIMEOUT": "2"])
        let deadline = Date().addingTimeInterval(60)
        while !child.stdout.contains("\n") {
            guard child.isRunning, Date() < deadline else {
                child.signal(SIGKILL)
                throw TestFailure("hms-sync serve printed no address: \(child.stdout) \(child.stderr)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        url = child.stdout.trimmingCharacters(in: .newlines)
        secret = String(url.split(separator: "=").last ?? "")
    }

    /// A request as the console sends it; `cookie: false` leaves the cookie out, `host` replaces
    /// the `Host` header.
    func send(_ method: String, _ path: String, json: String? = nil, cookie: Bool = true, host: String? = nil) async throws
        -> TransportResponse
    {
        var headers: [(String, String)] = [("Accept", "application/json")]
        if cookie { headers.append(("Cookie", self.cookie)) }
        if let host { headers.append(("Host", host)) }
        if json != nil { headers.append(("Content-Type", "application/json")) }
        return try await transport.send(
            TransportRequest(method: method, url: base + path, headers: headers, body: json.map { Data($0.utf8) }))
    }

    /// The answer's body as a JSON object or array.
    static func object(_ response: TransportResponse) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] ?? [:]
    }

    static func array(_ response: TransportResponse) -> [[String: Any]] {
        (try? JSONSerialization.jsonObject(with: response.body)) as? [[String: Any]] ?? []
    }

    /// A booking through serve's `POST /v1/appointments`.
    func book(doctorId: String, start: Date, id: String = UUID().uuidString.lowercased(), reason: String = "serve test") async throws
        -> TransportResponse
    {
        try await send("POST", "/v1/appointments", json: #"{"id":"\#(id)","doctorId":"\#(doctorId)","start":"\#(iso(start))","reason":"\#(reason)"}"#)
    }

    /// SIGTERM (or `signal`), and the exit.
    @discardableResult
    func stop(_ signal: Int32 = SIGTERM) async -> (status: Int32, reason: ChildProcess.TerminationReason, timedOut: Bool) {
        child.signal(signal)
        return await child.waitForExit(timeout: 30)
    }

    deinit { child.signal(SIGKILL) }
}
