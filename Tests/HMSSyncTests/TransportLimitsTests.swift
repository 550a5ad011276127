import Foundation
import HMSSyncCore
import Testing

@Suite("CONTRACT §9.1 client transport: http and https only, answers capped, Retry-After clamped")
struct TransportLimitsTests {
    @Test("libcurl speaks only http and https: other schemes are refused without being retried", arguments: [
        "file:///etc/hostname", "ftp://127.0.0.1/x", "gopher://127.0.0.1/x", "dict://127.0.0.1/x",
    ])
    func schemes(url: String) async throws {
        do {
            _ = try await CurlTransport(connectTimeout: 2, totalTimeout: 5).send(TransportRequest(method: "GET", url: url))
            Issue.record("\(url) was fetched")
        } catch let error as TransportError {
            #expect(!error.isRetryable, "\(error)")
        }
    }

    @Test("an answer over the size cap is refused with a clear, non-retryable error")
    func capped() async throws {
        try await LiveServer.run { server in
            let login = TransportRequest(
                method: "POST", url: server.url + "/v1/auth/login", headers: [("Content-Type", "application/json")],
                body: Data(#"{"email": "\#(server.adminEmail)", "password": "\#(server.adminPassword)"}"#.utf8))
            let small = CurlTransport(connectTimeout: 5, totalTimeout: 30, maxResponseBytes: 256)
            do {
                let answer = try await small.send(login)
                Issue.record("an answer of \(answer.body.count) bytes got through a 256-byte cap")
            } catch let error as TransportError {
                #expect(error.description.contains("larger than 256 bytes") && !error.isRetryable, "\(error)")
            }
            let roomy = try await CurlTransport().send(login)
            #expect(roomy.status == 200 && roomy.body.count > 256, "the default cap takes it")
        }
    }

    @Test("the sync engine stops at once on an oversized answer (exit 1's refusal, not 30 s of retries)")
    func engineStops() async throws {
        try await LiveServer.run { server in
            let patient = try await server.addPatient("Cap")
            let replica = try Replica(path: server.replicaPath("cap"), key: .random())
            let engine = SyncEngine(
                replica: replica, transport: CurlTransport(connectTimeout: 5, totalTimeout: 30, maxResponseBytes: 64),
                retry: RetryPolicy(silenceLimit: 30))
            let started = Date()
            await #expect {
                _ = try await engine.login(server: server.url, email: patient.email, password: patient.password)
            } throws: { error in
                guard case ReplicaError.refused(let refusal) = error else { return false }
                return refusal.message.contains("larger than 64 bytes")
            }
            #expect(Date().timeIntervalSince(started) < 10)
        }
    }

    @Test("""
        a 429's Retry-After is clamped: a negative one is no wait (no trap), one that is not a finite number leaves it to \
        the backoff, and one longer than the engine may wait gives up at once
        """, arguments: [("-5", true), ("nan", true), ("inf", true), ("1e300", false)])
    func retryAfter(header: String, succeeds: Bool) async throws {
        try await LiveServer.run { server in
            let patient = try await server.addPatient("Rita")
            let throttled = ThrottledOnce(header: header)
            let engine = SyncEngine(
                replica: try Replica(path: server.replicaPath("rita"), key: .random()), transport: throttled,
                retry: RetryPolicy(silenceLimit: 10, initialDelay: 0.01, maxDelay: 0.1))
            let started = Date()
            let result: Result<User, any Error>
            do {
                result = .success(try await engine.login(server: server.url, email: patient.email, password: patient.password))
            } catch {
                result = .failure(error)
            }
            #expect(throttled.throttled, "the first request was answered 429")
            if succeeds {
                #expect(throws: Never.self) { try result.get() }
            } else {
                #expect { try result.get() } throws: { error in
                    if case ReplicaError.unreachable = error { return true }
                    return false
                }
            }
            #expect(Date().timeIntervalSince(started) < 5)
        }
    }
}

/// Answers the first request with `429` and `Retry-After: header`, then passes requests on to
/// the server over libcurl.
private final class ThrottledOnce: HTTPTransport, @unchecked Sendable {
    // @unchecked: `done` is read and written under `lock` only.
    private let base = CurlTransport(connectTimeout: 5, totalTimeout: 30)
    private let lock = NSLock()
    private var done = false
    let header: String

    init(header: String) { self.header = header }

    var throttled: Bool { lock.withLock { done } }

    func send(_ request: TransportRequest) async throws -> TransportResponse {
        let first = lock.withLock { () -> Bool in
            defer { done = true }
            return !done
        }
        if first { return TransportResponse(status: 429, headers: ["retry-after": header], body: Data()) }
        return try await base.send(request)
    }
}
