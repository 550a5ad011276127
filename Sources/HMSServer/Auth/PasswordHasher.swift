import Foundation
import HummingbirdBcrypt
import NIOConcurrencyHelpers
import NIOPosix

/// Slow salted password hashes (bcrypt), bounded (CONTRACT.md §9.1): at most `concurrency`
/// hashes or checks run at once, at most `queueLimit` more wait for a turn, and anything beyond
/// is refused at once with `429 RATE_LIMITED` and `Retry-After: 1`. A flood of logins thus costs
/// a fixed amount of CPU and memory and never turns into a 503, which means the database.
/// The work runs on NIO's thread pool so it never stalls the request threads.
struct PasswordHasher: Sendable {
    let cost: UInt8
    let gate: HashGate
    let telemetry: Telemetry?

    /// `concurrency` defaults to twice the cores, `queueLimit` to 64 (the contract's numbers).
    init(
        cost: UInt8, concurrency: Int = 2 * ProcessInfo.processInfo.activeProcessorCount, queueLimit: Int = 64,
        telemetry: Telemetry? = nil
    ) {
        self.cost = cost
        gate = HashGate(concurrency: max(concurrency, 1), queueLimit: max(queueLimit, 0))
        self.telemetry = telemetry
    }

    func hash(_ password: String) async throws -> String {
        try await bounded("hash") { Bcrypt.hash(password, cost: cost) }
    }

    func verify(_ password: String, hash: String) async throws -> Bool {
        try await bounded("verify") { Bcrypt.verify(password, hash: hash) }
    }

    private func bounded<Value: Sendable>(_ operation: String, _ work: @escaping @Sendable () -> Value) async throws
        -> Value
    {
        do {
            try await gate.enter()
        } catch {
            telemetry?.count("hms_password_hash_refused_total", [("op", operation)])
            throw error
        }
        defer { gate.leave() }
        telemetry?.count("hms_password_hashes_total", [("op", operation)])
        return try await NIOThreadPool.singleton.runIfActive(work)
    }
}

/// A counting gate with a bounded FIFO of waiters: `enter` runs at once while fewer than
/// `concurrency` are inside, waits while fewer than `queueLimit` wait, and otherwise throws
/// `RateLimitedError` (retry after one second). Every successful `enter` needs one `leave`.
final class HashGate: Sendable {
    private struct State {
        var inside = 0
        var waiters: [CheckedContinuation<Void, any Error>] = []
    }

    private enum Decision { case enter, wait, refuse }

    let concurrency: Int
    let queueLimit: Int
    private let state = NIOLockedValueBox(State())

    init(concurrency: Int, queueLimit: Int) {
        self.concurrency = concurrency
        self.queueLimit = queueLimit
    }

    func enter() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let decision = state.withLockedValue { state -> Decision in
                if state.inside < concurrency {
                    state.inside += 1
                    return .enter
                }
                guard state.waiters.count < queueLimit else { return .refuse }
                state.waiters.append(continuation)
                return .wait
            }
            switch decision {
            case .enter: continuation.resume()
            case .wait: break
            case .refuse: continuation.resume(throwing: RateLimitedError(retryAfterSeconds: 1))
            }
        }
    }

    /// Hands the place to the longest waiter, or frees it.
    func leave() {
        let next = state.withLockedValue { state -> CheckedContinuation<Void, any Error>? in
            guard !state.waiters.isEmpty else {
                state.inside -= 1
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }

    /// How many are inside and how many wait, for tests and metrics.
    var load: (inside: Int, waiting: Int) {
        state.withLockedValue { ($0.inside, $0.waiters.count) }
    }
}
