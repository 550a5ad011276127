import Foundation
import HMSTestSupport

/// The peer of the booking throughput figure (issue 12): Benchmarks/flask-peer/app.py, the plain
/// Flask + SQLite + JWT service of the seed, under gunicorn with 2 × cores + 1 sync workers (its
/// documented default advice), on loopback, with a fresh SQLite file and HMS's admin account.
final class FlaskPeer {
    let url: String
    private let process = Process()

    /// Starts it from the venv `Benchmarks/flask-peer/setup.sh` makes; waits until it answers.
    init(packageRoot: String, folder: String) async throws {
        let gunicorn = (packageRoot as NSString).appendingPathComponent(".build/flask-peer-venv/bin/gunicorn")
        guard FileManager.default.isExecutableFile(atPath: gunicorn) else {
            throw BenchError("no Flask peer at \(gunicorn): run Benchmarks/flask-peer/setup.sh")
        }
        let port = try FreePort.next()
        url = "http://127.0.0.1:\(port)"
        let workers = 2 * ProcessInfo.processInfo.activeProcessorCount + 1
        process.executableURL = URL(fileURLWithPath: gunicorn)
        process.arguments = [
            // --preload: the app (and its schema and admin) is loaded once, before the workers fork
            "-w", String(workers), "--preload", "-b", "127.0.0.1:\(port)", "--chdir",
            (packageRoot as NSString).appendingPathComponent("Benchmarks/flask-peer"), "--log-level", "warning", "app:app",
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["HMS_PEER_DB"] = (folder as NSString).appendingPathComponent("flask-peer-\(UUID().uuidString.prefix(8)).sqlite")
        environment["HMS_PEER_SECRET"] = UUID().uuidString
        environment["HMS_PEER_ADMIN_EMAIL"] = TestAccounts.adminEmail
        environment["HMS_PEER_ADMIN_PASSWORD"] = TestAccounts.adminPassword
        process.environment = environment
        try process.run()
        let rest = RESTClient(base: url, timeout: 5)
        for _ in 0..<100 {
            if (try? await rest.send("POST", "/v1/auth/login", json: ["email": "", "password": ""]))?.status == 401 { return }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        stop()
        throw BenchError("the Flask peer did not answer on \(url)")
    }

    /// SIGINT is gunicorn's quick shutdown; SIGKILL after 5 s.
    func stop() {
        guard process.isRunning else { return }
        process.interrupt()
        for _ in 0..<50 where process.isRunning { usleep(100_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    deinit { stop() }
}
