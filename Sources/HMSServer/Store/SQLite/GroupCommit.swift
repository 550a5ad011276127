import GRDB
import NIOConcurrencyHelpers

/// Group commit on SQLite's one writer: the write transactions that arrive while one is being
/// committed share the next commit, each in a savepoint of its own.
///
/// With `synchronous = FULL` every commit waits for an fsync of the WAL (docs/operations.md,
/// "Durability of an answer"). Sharing it keeps each request's semantics: a job whose body
/// throws rolls back its savepoint alone and gets its error; the others go on. Every answer
/// waits for the shared commit, and if that commit fails, every job of the batch gets its
/// error and nothing of the batch was written. Jobs run one after another in arrival order, as
/// separate transactions would, so a check and the write it guards never interleave with
/// another job's.
final class GroupCommit: Sendable {
    /// One waiting transaction: runs in the batch's transaction, then learns how the commit went.
    private struct Job: Sendable {
        let run: @Sendable (Database) -> Void
        let finish: @Sendable ((any Error)?) -> Void
    }

    private struct State {
        var waiting: [Job] = []
        var committing = false
        var commits = 0
    }

    /// The most jobs one commit carries, so a long queue still answers its first jobs early.
    static let batchLimit = 64

    private let pool: DatabasePool
    private let state = NIOLockedValueBox(State())

    init(pool: DatabasePool) {
        self.pool = pool
    }

    /// How many shared transactions have been committed or tried so far.
    var commits: Int { state.withLockedValue { $0.commits } }

    /// Runs `body` in the next shared transaction and answers its value once that is committed.
    func run<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let outcome = Outcome<T>()
            let job = Job(
                run: { db in
                    do {
                        try db.inSavepoint {
                            outcome.result = .success(try body(db))
                            return .commit
                        }
                    } catch {
                        outcome.result = .failure(error)
                    }
                },
                finish: { commitError in
                    if let commitError {
                        continuation.resume(throwing: commitError)
                    } else {
                        continuation.resume(with: outcome.result ?? .failure(CancellationError()))
                    }
                })
            let starts = state.withLockedValue { state -> Bool in
                state.waiting.append(job)
                guard !state.committing else { return false }
                state.committing = true
                return true
            }
            // detached: the drain serves every request that queues, not the one that started it
            if starts { Task.detached { await self.drain() } }
        }
    }

    /// Commits batches until none is waiting.
    private func drain() async {
        while true {
            let batch = state.withLockedValue { state -> [Job] in
                let batch = Array(state.waiting.prefix(Self.batchLimit))
                state.waiting.removeFirst(batch.count)
                if batch.isEmpty { state.committing = false } else { state.commits += 1 }
                return batch
            }
            guard !batch.isEmpty else { return }
            do {
                try await pool.write { db in
                    for job in batch { job.run(db) }
                }
                for job in batch { job.finish(nil) }
            } catch {
                for job in batch { job.finish(error) }
            }
        }
    }
}

/// What one job's body gave; written on the writer's thread, read after the commit.
private final class Outcome<T>: @unchecked Sendable {
    // @unchecked: written once inside the batch's transaction, read only after `pool.write`
    // returned, which orders the two.
    var result: Result<T, any Error>?
}
