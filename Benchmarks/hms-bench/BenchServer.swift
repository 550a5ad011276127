import Foundation
import HMSSyncCore
import HMSSyncCurl

/// The release `hms-server` on a loopback port with a database in the bench's folder.
final class BenchServer: @unchecked Sendable {
    // @unchecked: driven by the bench's one task.
    static let adminEmail = "admin@bench.test"
    static let adminPassword = "bench-admin-password"
    static let jwtSecret = "hms-bench-jwt-secret-0123456789abcdefghij"

    let executable: String
    let databasePath: String
    /// What the server gets as `--database-url`: the SQLite file, or a PostgreSQL URL.
    let databaseURL: String
    let port: Int
    private var process: Process?
    private let logPath: String

    var url: String { "http://127.0.0.1:\(port)" }

    init(executable: String, folder: String, name: String, databaseURL: String? = nil) {
        self.executable = executable
        databasePath = (folder as NSString).appendingPathComponent("\(name).sqlite")
        self.databaseURL = databaseURL ?? databasePath
        logPath = (folder as NSString).appendingPathComponent("\(name).log")
        port = BenchServer.freePort()
    }

    /// Starts the server and waits for `/healthz`.
    func start() async throws {
        if !FileManager.default.fileExists(atPath: logPath) { _ = FileManager.default.createFile(atPath: logPath, contents: nil) }
        let log = FileHandle(forWritingAtPath: logPath)!
        log.seekToEndOfFile()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "--host", "127.0.0.1", "--port", String(port), "--database-url", databaseURL, "--bcrypt-cost", "4",
            "--admin-email", Self.adminEmail, "--admin-password", Self.adminPassword, "--jwt-secret", Self.jwtSecret,
            "--rate-limit", "10000000", "--no-show-interval", "0", "--access-ttl", "86400",
        ]
        process.standardOutput = log
        process.standardError = log
        try process.run()
        self.process = process
        let transport = CurlTransport(connectTimeout: 1, totalTimeout: 5)
        for _ in 0..<600 {
            guard process.isRunning else { throw BenchError("hms-server exited at start; see \(logPath)") }
            if let answer = try? await transport.send(TransportRequest(method: "GET", url: url + "/healthz")),
                answer.status == 200
            {
                return
            }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        throw BenchError("hms-server did not become healthy; see \(logPath)")
    }

    /// SIGTERM and wait.
    func stop() {
        guard let process else { return }
        process.terminate()
        process.waitUntilExit()
        self.process = nil
    }

    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
