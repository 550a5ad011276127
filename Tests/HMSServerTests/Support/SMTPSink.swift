import Foundation
import HMSTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A message as the SMTP sink received it.
struct ReceivedMail: Sendable {
    /// The envelope's recipients (`RCPT TO`).
    let envelopeTo: [String]
    let envelopeFrom: String
    /// Header names lowercased; the first value of each.
    let headers: [String: String]
    let body: String

    init(_ text: String) {
        let parts = text.components(separatedBy: "\r\n\r\n")
        var headers: [String: String] = [:]
        for line in parts[0].components(separatedBy: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            if headers[name] == nil {
                headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        self.headers = headers
        envelopeTo = (headers["x-envelope-to"] ?? "").split(separator: ",").map(String.init)
        envelopeFrom = headers["x-envelope-from"] ?? ""
        body = parts.dropFirst().joined(separator: "\r\n\r\n")
    }
}

/// A real SMTP server on 127.0.0.1 (Python's aiosmtpd) that writes each accepted message to a
/// file of its own, so a test can count deliveries.
// @unchecked: `child` is only touched under `lock`.
final class SMTPSink: @unchecked Sendable {
    /// Accepts every message and keeps it, with its envelope, as `<folder>/<uuid>.eml`.
    static let script = """
        import os, sys, uuid
        from aiosmtpd.controller import Controller
        folder, port = sys.argv[1], int(sys.argv[2])
        class Sink:
            async def handle_DATA(self, server, session, envelope):
                name = os.path.join(folder, uuid.uuid4().hex)
                with open(name + ".part", "wb") as f:
                    f.write(("X-Envelope-From: %s\\r\\nX-Envelope-To: %s\\r\\n" % (envelope.mail_from, ",".join(envelope.rcpt_tos))).encode())
                    f.write(envelope.original_content)
                os.rename(name + ".part", name + ".eml")
                return "250 OK: queued"
        controller = Controller(Sink(), hostname="127.0.0.1", port=port)
        controller.start()
        open(os.path.join(folder, "ready"), "w").close()
        sys.stdin.read()  # until the test ends (or dies): then stop
        controller.stop()
        """

    let port: Int
    let folder: TempFolder
    private let launch: @Sendable () throws -> SpawnedProcess
    private let lock = NSLock()
    private var child: SpawnedProcess?

    var url: String { "smtp://127.0.0.1:\(port)" }

    /// A sink that is not started yet: nothing listens on `port` until `start()`.
    init(port: Int? = nil) throws {
        self.port = try port ?? FreePort.next()
        folder = try TempFolder("smtp")
        let (folder, port) = (folder, self.port)
        launch = {
            try SpawnedProcess(
                executable: "/usr/bin/env", arguments: ["python3", "-c", Self.script, folder.path, String(port)],
                environment: ProcessInfo.processInfo.environment, stdinPipe: true, stdoutPath: "/dev/null",
                stderrPath: (folder.path as NSString).appendingPathComponent("aiosmtpd.log"))
        }
    }

    private var running: SpawnedProcess? { lock.withLock { child } }

    /// Starts the server and waits until it accepts connections.
    func start() async throws {
        let started = try launch()
        lock.withLock { child = started }
        let ready = (folder.path as NSString).appendingPathComponent("ready")
        let up = try await eventually(within: .seconds(15)) {
            FileManager.default.fileExists(atPath: ready) || !started.isRunning
        }
        try #require(up && started.isRunning, "aiosmtpd did not start (is it installed? pip install aiosmtpd)")
    }

    /// Stops the server (this process only).
    func stop() {
        guard let running, running.isRunning else { return }
        running.closeStdin()
        running.signal(SIGTERM)
        while running.isRunning { usleep(10_000) }
    }

    deinit { stop() }

    /// Every message received so far.
    func messages() throws -> [ReceivedMail] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".eml") }.map { name in
            ReceivedMail(try String(contentsOfFile: (folder.path as NSString).appendingPathComponent(name), encoding: .utf8))
        }
    }

    /// Waits until at least `count` messages arrived; answers whether they did.
    func waitFor(_ count: Int, within timeout: Duration = .seconds(20)) async throws -> Bool {
        try await eventually(within: timeout) { try messages().count >= count }
    }
}
