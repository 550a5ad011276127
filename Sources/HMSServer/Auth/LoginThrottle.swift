import Crypto
import Foundation
import HMSSyncCore
import NIOConcurrencyHelpers

/// Failed logins per account (CONTRACT.md §9.1): after `limit` failures for one account within
/// `window`, its logins answer `429 RATE_LIMITED` until the oldest failure leaves the window; a
/// success clears the count. This complements the per-IP limit, which a botnet spreads thin.
///
/// - The key is a digest of the email's account key (`FieldRule.emailKey`: case folded, NFC), so unknown emails are throttled
///   exactly like known ones (nothing is revealed) and no email is kept in memory.
/// - Attempts in flight count against the limit too, so concurrent guesses can't overshoot it.
/// - The map holds at most `capacity` accounts. When full it drops expired entries and, if that
///   is not enough, the tenth that failed longest ago: never the whole map at once.
/// - Time comes in as an argument (the server's `AppClock`), so tests can move it.
final class LoginThrottle: Sendable {
    private struct Entry {
        /// Failure times within the window, oldest first (at most `limit`).
        var failures: [Date] = []
        /// Attempts begun and not yet ended.
        var pending = 0
        /// The last time this entry changed, to pick what to evict.
        var touched: Date
    }

    let limit: Int
    let window: TimeInterval
    let capacity: Int
    private let entries = NIOLockedValueBox<[String: Entry]>([:])

    init(limit: Int = 5, window: TimeInterval = 15 * 60, capacity: Int = 100_000) {
        self.limit = limit
        self.window = window
        self.capacity = max(capacity, 10)
    }

    /// The throttle key of an email as typed at login.
    static func key(email: String) -> String {
        let normalized = FieldRule.emailKey(email.trimmingCharacters(in: .whitespacesAndNewlines))
        return SHA256.hash(data: Data(normalized.utf8)).hex
    }

    /// Runs one login attempt for `key`: `check` answers whether the password was right. Throws
    /// `RateLimitedError` without running `check` while the account is throttled. A wrong
    /// password counts as a failure, a right one clears the count; a thrown error counts as neither.
    func attempt(_ key: String, clock: AppClock, _ check: () async throws -> Bool) async throws -> Bool {
        try begin(key, now: clock.now())
        let matched: Bool
        do {
            matched = try await check()
        } catch {
            end(key, failed: nil, now: clock.now())
            throw error
        }
        end(key, failed: !matched, now: clock.now())
        return matched
    }

    /// Reserves an attempt, or throws `RateLimitedError` with the seconds until one is possible.
    func begin(_ key: String, now: Date) throws(RateLimitedError) {
        let wait: Int? = entries.withLockedValue { entries in
            var entry = entries[key] ?? Entry(touched: now)
            entry.failures.removeAll { $0 <= now.addingTimeInterval(-window) }
            if entry.failures.count >= limit {
                let freeAt = entry.failures[entry.failures.count - limit].addingTimeInterval(window)
                return max(Int(freeAt.timeIntervalSince(now).rounded(.up)), 1)
            }
            if entry.failures.count + entry.pending >= limit { return 1 }
            entry.pending += 1
            entry.touched = now
            if entries[key] == nil { makeRoom(&entries, now: now) }
            entries[key] = entry
            return nil
        }
        if let wait { throw RateLimitedError(retryAfterSeconds: wait) }
    }

    /// Ends an attempt begun with `begin`: `failed` true records a failure, false clears the
    /// count, nil (the check could not be made) changes only the reservation.
    func end(_ key: String, failed: Bool?, now: Date) {
        entries.withLockedValue { entries in
            guard var entry = entries[key] else { return }
            entry.pending = max(entry.pending - 1, 0)
            entry.touched = now
            switch failed {
            case true?:
                entry.failures.removeAll { $0 <= now.addingTimeInterval(-window) }
                entry.failures.append(now)
                if entry.failures.count > limit { entry.failures.removeFirst(entry.failures.count - limit) }
            case false?:
                entry.failures.removeAll()
            case nil:
                break
            }
            if entry.failures.isEmpty && entry.pending == 0 {
                entries[key] = nil
            } else {
                entries[key] = entry
            }
        }
    }

    /// How many accounts the map holds (for tests).
    var count: Int { entries.withLockedValue { $0.count } }

    /// Before a new key goes in: when the map is full, drop what expired, then (still full) the
    /// tenth touched longest ago, keeping attempts in flight. Batches keep this amortized cheap.
    private func makeRoom(_ entries: inout [String: Entry], now: Date) {
        guard entries.count >= capacity else { return }
        let cutoff = now.addingTimeInterval(-window)
        entries = entries.filter { $0.value.pending > 0 || ($0.value.failures.last.map { $0 > cutoff } ?? false) }
        guard entries.count >= capacity else { return }
        let oldest = entries.filter { $0.value.pending == 0 }.sorted { $0.value.touched < $1.value.touched }
            .prefix(max(capacity / 10, 1))
        for (key, _) in oldest { entries[key] = nil }
    }
}
