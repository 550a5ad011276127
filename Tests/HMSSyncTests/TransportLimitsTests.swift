import Foundation
import HMSSyncCore
import HMSSyncCurl
import HMSTestSupport
import Testing

@Suite("CONTRACT §9.1 sync engine over a transport: oversized answers stop it, Retry-After clamped")
struct TransportLimitsTests {
    // The transports' own limits (schemes, the body cap) are rows of TransportContractTests.
    @Test("the sync engine stops at once on an oversized answer (exit 1's refusal, not 30 s of retries)",
          arguments: TestBackend.all, TransportKind.allCases)
    func engineStops(backend: TestBackend, kind: TransportKind) async throws {
        try await LiveServer.run(backend) { server in
            let patient = try await server.clinic.addPatient("Cap")
            let replica = try Replica(path: server.replicaPath("cap"), key: .random())
            let engine = SyncEngine(
                replica: replica, transport: kind.make(limit: 64),
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
        """, arguments: TestBackend.all, [("-5", true), ("nan", true), ("inf", true), ("1e300", false)])
    func retryAfter(backend: TestBackend, _ row: (String, Bool)) async throws {
        let (header, succeeds) = row
        try await LiveServer.run(backend) { server in
            let patient = try await server.clinic.addPatient("Rita")
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
