import Foundation
import HMSSyncCore
import Logging
import ServiceLifecycle

/// The background sync of `hms-sync serve` (CONTRACT.md §9.7): the same `SyncEngine` as
/// `sync --watch`, run every `interval`, right after each recorded intent, and when the console
/// asks. Only this loop syncs, one sync at a time, so the console's "Sync now" and the timer
/// never push the same outbox twice at once. A failed sync is retried with backoff capped at
/// the interval, for as long as the network stays away.
package final class SyncLoop: Service, Sendable {
    /// What wakes the loop: the clock, a recorded intent, or someone waiting for a sync's report.
    enum Wake: Sendable {
        case tick
        case recorded
        case asked(CheckedContinuation<Result<SyncReport, ReplicaError>, Never>)
    }

    /// How often the loop looks at the clock: the resolution of `interval` and of the backoff.
    static let tick = Duration.milliseconds(250)

    let engine: SyncEngine
    let interval: Duration
    let health: SyncHealth
    let logger: Logger
    private let wakes: AsyncStream<Wake>
    private let wake: AsyncStream<Wake>.Continuation

    package init(engine: SyncEngine, interval: Duration, logger: Logger) {
        self.engine = engine
        self.interval = interval
        self.logger = logger
        health = SyncHealth()
        (wakes, wake) = AsyncStream.makeStream(of: Wake.self)
    }

    /// Asks for a sync soon (after a recorded intent); does not wait for it.
    func kick() {
        wake.yield(.recorded)
    }

    /// Runs a sync now (after any that is running) and answers its report or why it failed.
    func syncNow() async -> Result<SyncReport, ReplicaError> {
        await withCheckedContinuation { continuation in
            if case .terminated = wake.yield(.asked(continuation)) {
                continuation.resume(returning: .failure(.unreachable("hms-sync serve is stopping")))
            }
        }
    }

    package func run() async throws {
        await withDiscardingTaskGroup { group in
            group.addTask { [wake] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: Self.tick)
                    wake.yield(.tick)
                }
            }
            var due = ContinuousClock.now  // the first sync at once: the console opens on fresh data
            var failures = 0
            var waiting: [CheckedContinuation<Result<SyncReport, ReplicaError>, Never>] = []
            for await event in wakes.cancelOnGracefulShutdown() {
                switch event {
                case .tick: guard ContinuousClock.now >= due else { continue }
                case .recorded: break
                case .asked(let continuation): waiting.append(continuation)
                }
                let outcome = await syncOnce()
                for continuation in waiting { continuation.resume(returning: outcome) }
                waiting.removeAll()
                if case .success = outcome {
                    failures = 0
                    due = ContinuousClock.now + interval
                } else {
                    due = ContinuousClock.now + backoff(after: failures)
                    failures += 1
                }
            }
            wake.finish()
            for continuation in waiting { continuation.resume(returning: .failure(.unreachable("hms-sync serve is stopping"))) }
            // what arrived after the loop stopped reading is answered too, so no request hangs
            for await case .asked(let continuation) in wakes {
                continuation.resume(returning: .failure(.unreachable("hms-sync serve is stopping")))
            }
            group.cancelAll()
        }
    }

    /// One sync, its outcome kept for `GET /v1/local/status`. Logs name what happened, never
    /// what the replica holds.
    private func syncOnce() async -> Result<SyncReport, ReplicaError> {
        do {
            let report = try await engine.sync()
            await health.record(reachedServer: true)
            return .success(report)
        } catch let error as ReplicaError {
            let reached: Bool
            if case .unreachable = error { reached = false } else { reached = true }
            await health.record(reachedServer: reached)
            logger.notice("sync did not finish", metadata: ["code": "\(error.code)"])
            return .failure(error)
        } catch {
            await health.record(reachedServer: false)
            logger.error("sync failed", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            return .failure(.unreachable("the sync failed; nothing was lost"))
        }
    }

    /// Exponential backoff with jitter from one second, capped at the interval.
    private func backoff(after failures: Int) -> Duration {
        let cap = Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18
        let policy = RetryPolicy(initialDelay: 1, maxDelay: max(cap, 1))
        var generator = SystemRandomNumberGenerator()
        return .milliseconds(Int(min(policy.delay(attempt: failures, using: &generator), cap) * 1_000))
    }
}
