import Foundation
import HMSTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A loopback HTTP/1.1 peer that plays one script on every connection, for what a real server
/// does not do on demand: hang, trickle, cut an answer off, gzip, redirect. It counts the
/// connections it accepts and the requests it reads.
final class ScriptedPeer: @unchecked Sendable {
    // @unchecked: the counters and `clients` are read and written under `lock` only; `listener`
    // is set once in init.

    /// What the peer does with each connection.
    enum Script: Sendable {
        /// Accepts and never answers.
        case silent
        /// Answers every request with `answer` and keeps the connection open.
        case answer(Data)
        /// Reads a request, sends `partial` (the start of an answer) and closes the connection.
        case cut(Data)
        /// Reads a request, sends `head`, then one byte of body every `interval` seconds, on and on.
        case trickle(head: Data, interval: TimeInterval)
    }

    let port: Int
    var url: String { "http://127.0.0.1:\(port)" }

    private let script: Script
    private let listener: Int32
    private let lock = NSLock()
    private var clients: [Int32] = []
    private var accepted = 0
    private var requests = 0
    private var stopped = false

    /// Connections accepted so far.
    var connections: Int { lock.withLock { accepted } }
    /// Requests read so far.
    var requestsRead: Int { lock.withLock { requests } }

    /// Listens on a free loopback port and serves `script` until `stop()`.
    init(_ script: Script) throws {
        self.script = script
        guard let (fd, port) = LoopbackSocket.listen() else { throw TestFailure("cannot listen on loopback") }
        listener = fd
        self.port = port
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// Runs `body` with a peer playing `script`, and stops the peer after.
    static func with<T>(_ script: Script, _ body: (ScriptedPeer) async throws -> T) async throws -> T {
        let peer = try ScriptedPeer(script)
        defer { peer.stop() }
        return try await body(peer)
    }

    /// Stops listening and drops every connection.
    func stop() {
        let open = lock.withLock { () -> [Int32] in
            stopped = true
            return clients
        }
        shutdown(listener, Int32(SHUT_RDWR))
        for client in open { shutdown(client, Int32(SHUT_RDWR)) }
    }

    /// An HTTP/1.1 answer with a Content-Length, as bytes.
    static func answer(status: Int, headers: [(String, String)] = [], body: Data) -> Data {
        var head = "HTTP/1.1 \(status) Scripted\r\nContent-Length: \(body.count)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        return Data((head + "\r\n").utf8) + body
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { break }
            let keep = lock.withLock { () -> Bool in
                guard !stopped else { return false }
                accepted += 1
                clients.append(client)
                return true
            }
            guard keep else {
                _ = close(client)
                break
            }
            Thread.detachNewThread { [self] in serve(client) }
        }
        _ = close(listener)
    }

    private func serve(_ client: Int32) {
        defer {
            lock.withLock { clients.removeAll { $0 == client } }
            _ = close(client)
        }
        var buffer: [UInt8] = []
        if case .silent = script {
            while receive(client, into: &buffer) {}  // until the client or `stop` closes it
            return
        }
        while readRequest(client, &buffer) {
            lock.withLock { requests += 1 }
            switch script {
            case .silent: return
            case .answer(let answer):
                guard write(client, answer) else { return }
            case .cut(let partial):
                _ = write(client, partial)
                return
            case .trickle(let head, let interval):
                guard write(client, head) else { return }
                while write(client, Data("x".utf8)) { Thread.sleep(forTimeInterval: interval) }
                return
            }
        }
    }

    /// Reads one request (head and Content-Length body) off `buffer` and the socket; false
    /// when the connection closed first.
    private func readRequest(_ client: Int32, _ buffer: inout [UInt8]) -> Bool {
        let end: [UInt8] = Array("\r\n\r\n".utf8)
        while true {
            if let headEnd = (0..<max(0, buffer.count - 3)).first(where: { Array(buffer[$0..<$0 + 4]) == end }) {
                let head = String(decoding: buffer[..<headEnd], as: UTF8.self).lowercased()
                let length = head.split(separator: "\r\n")
                    .first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                while buffer.count < headEnd + 4 + length {
                    guard receive(client, into: &buffer) else { return false }
                }
                buffer.removeFirst(headEnd + 4 + length)
                return true
            }
            guard receive(client, into: &buffer) else { return false }
        }
    }

    /// Appends what arrives to `buffer`; false when the connection closed.
    private func receive(_ client: Int32, into buffer: inout [UInt8]) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 4096)
        let count = recv(client, &chunk, chunk.count, 0)
        guard count > 0 else { return false }
        buffer += chunk[..<count]
        return true
    }

    /// Sends all of `data`; false when the connection is gone.
    private func write(_ client: Int32, _ data: Data) -> Bool {
        data.withUnsafeBytes { bytes in
            var sent = 0
            while sent < bytes.count {
                let count = send(client, bytes.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL))
                guard count > 0 else { return false }
                sent += count
            }
            return true
        }
    }
}
