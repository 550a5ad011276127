import Foundation
import HMSTestSupport
import HummingbirdTesting
import Testing
@testable import HMSServer

#if canImport(Glibc)
import Glibc
#endif

@Suite("CONTRACT §9.1 transport: idle and read timeouts cut slow clients off, on a real socket")
struct SlowClientTests {
    /// The contract's 30 s, shortened for the test through the server's (non-contract) knob.
    static let timeout = 2

    static func server(_ backend: TestBackend) async throws -> TestServer {
        try await TestServer(backend) { $0.idleTimeout = timeout }
    }

    @Test("the timeout is 30 s unless a test shortens it")
    func defaultTimeout() {
        #expect(Config().idleTimeout == 30)
    }

    @Test("a client that sends half a request line and then nothing is disconnected", arguments: TestBackend.all)
    func halfRequestLine(backend: TestBackend) async throws {
        try await Self.server(backend).run(.live) { api in
            let socket = try RawSocket(port: try #require(api.port))
            defer { socket.close() }
            let sentAt = Date()
            try socket.send("GET /heal")
            let closed = try await socket.closedAt(within: 15).timeIntervalSince(sentAt)
            #expect(closed >= Double(Self.timeout) - 0.5 && closed < Double(Self.timeout) + 5, "closed after \(closed) s")
        }
    }

    @Test("a client that sends its headers byte by byte is disconnected although bytes keep coming",
          arguments: TestBackend.all)
    func trickledHeaders(backend: TestBackend) async throws {
        try await Self.server(backend).run(.live) { api in
            let socket = try RawSocket(port: try #require(api.port))
            defer { socket.close() }
            let request = "GET /healthz HTTP/1.1\r\nHost: localhost\r\n" + String(repeating: "X-Padding: slow\r\n", count: 100)
            let startedAt = Date()
            let closed = try await socket.closedAt(within: 15, trickling: request).timeIntervalSince(startedAt)
            #expect(closed < Double(Self.timeout) + 5, "closed after \(closed) s")
        }
    }

    @Test("a client that trickles its body is disconnected once the request has taken the read timeout",
          arguments: TestBackend.all)
    func trickledBody(backend: TestBackend) async throws {
        try await Self.server(backend).run(.live) { api in
            let socket = try RawSocket(port: try #require(api.port))
            defer { socket.close() }
            try socket.send("POST /v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{")
            let startedAt = Date()
            let closed = try await socket.closedAt(within: 15, trickling: String(repeating: " ", count: 400))
                .timeIntervalSince(startedAt)
            #expect(closed < Double(Self.timeout) + 5, "closed after \(closed) s")
        }
    }

    @Test("a whole request is answered, and the kept-alive connection is closed once it idles past the timeout",
          arguments: TestBackend.all)
    func idleKeepAlive(backend: TestBackend) async throws {
        try await Self.server(backend).run(.live) { api in
            let socket = try RawSocket(port: try #require(api.port))
            defer { socket.close() }
            try socket.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
            let answer = try await socket.receive(within: 10)
            #expect(answer.text.hasPrefix("HTTP/1.1 200"), "\(answer.text)")
            // measured from the answer's arrival: the idle timer starts when the server is done
            let closed = try await socket.closedAt(within: 15).timeIntervalSince(answer.at)
            #expect(closed >= Double(Self.timeout) - 0.5 && closed < Double(Self.timeout) + 5, "closed after \(closed) s")
        }
    }
}

/// A plain TCP client on 127.0.0.1 for the tests that must misbehave below HTTP. Blocking calls
/// run on a dispatch queue, off the cooperative threads the server under test needs.
private final class RawSocket: Sendable {
    let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard fd >= 0, connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        var wait = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
    }

    func close() { _ = Glibc.close(fd) }

    /// Sends all of `text`; false when the server has closed the connection.
    @discardableResult
    func send(_ text: String) throws -> Bool {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }

    /// What arrives within `seconds` (until the first pause after some bytes), and when its last
    /// byte came.
    func receive(within seconds: Double) async throws -> (text: String, at: Date) {
        await offThread {
            var received: [UInt8] = []
            var lastAt = Date()
            let deadline = Date().addingTimeInterval(seconds)
            var buffer = [UInt8](repeating: 0, count: 4_096)
            while Date() < deadline {
                let count = buffer.withUnsafeMutableBytes { recv(self.fd, $0.baseAddress, $0.count, 0) }
                if count > 0 {
                    received += buffer[0..<count]
                    lastAt = Date()
                } else if count == 0 || !received.isEmpty {
                    break
                }
            }
            return (String(decoding: received, as: UTF8.self), lastAt)
        }
    }

    /// When the server closed the connection, sending one byte of `trickling` every 200 ms
    /// meanwhile; fails the test when it is still open `limit` seconds after this call began. An
    /// instant, not a duration: the work may start late on a busy machine, and callers measure
    /// from their own reference.
    func closedAt(within limit: Double, trickling: String = "") async throws -> Date {
        let closedAt: Date? = await offThread {
            let started = Date()
            var pending = Array(trickling.utf8)[...]
            var buffer = [UInt8](repeating: 0, count: 4_096)
            while Date().timeIntervalSince(started) < limit {
                let count = buffer.withUnsafeMutableBytes { recv(self.fd, $0.baseAddress, $0.count, 0) }
                if count == 0 || (count < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
                    return Date()
                }
                if let byte = pending.popFirst() {
                    let sent = withUnsafeBytes(of: byte) { Glibc.send(self.fd, $0.baseAddress, 1, Int32(MSG_NOSIGNAL)) }
                    if sent != 1 { return Date() }
                }
            }
            return nil
        }
        return try #require(closedAt, "the server kept the connection open for \(limit) s")
    }

    private func offThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: work()) }
        }
    }
}
