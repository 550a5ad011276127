import Foundation
import NIOConcurrencyHelpers

/// Token buckets per client and endpoint group: `perMinute` requests a minute, refilled
/// continuously, bursts up to a minute's worth; login gets a tenth.
///
/// The map is bounded without ever being emptied wholesale (which would hand every flooding
/// client a fresh burst): past `maxBuckets` it first drops the buckets that have refilled (a
/// full bucket and an absent one answer alike), then the least recently used ones.
final class RateLimiter: Sendable {
    private struct Bucket { var tokens: Double; var updated: TimeInterval }
    private let buckets = NIOLockedValueBox<[String: Bucket]>([:])
    private let perMinute: Int
    let maxBuckets: Int

    init(perMinute: Int, maxBuckets: Int = 100_000) {
        self.perMinute = perMinute
        self.maxBuckets = maxBuckets
    }

    private func capacity(_ group: RateLimitGroup) -> Double {
        group == .login ? max(Double(perMinute) / 10, 1) : Double(perMinute)
    }

    /// nil when the request may pass, else the seconds until a token is back.
    func take(client: String, group: RateLimitGroup, now: TimeInterval) -> Int? {
        let capacity = capacity(group)
        let perSecond = capacity / 60
        return buckets.withLockedValue { buckets in
            let key = "\(group.rawValue)|\(client)"
            if buckets[key] == nil && buckets.count >= maxBuckets { evict(&buckets, now: now) }
            var bucket = buckets[key] ?? Bucket(tokens: capacity, updated: now)
            bucket.tokens = min(capacity, bucket.tokens + (now - bucket.updated) * perSecond)
            bucket.updated = now
            defer { buckets[key] = bucket }
            guard bucket.tokens >= 1 else { return Int(((1 - bucket.tokens) / perSecond).rounded(.up)) }
            bucket.tokens -= 1
            return nil
        }
    }

    /// How many clients are tracked (for tests).
    var count: Int { buckets.withLockedValue { $0.count } }

    /// Drops the buckets that restrain their clients least: the refilled ones (equal to absent),
    /// then the fullest, so a client that is being held back is never the one forgotten.
    private func evict(_ buckets: inout [String: Bucket], now: TimeInterval) {
        buckets = buckets.filter { now - $0.value.updated < 60 }
        guard buckets.count >= maxBuckets else { return }
        let perSecond = Double(perMinute) / 60
        let fullest = buckets.sorted {
            $0.value.tokens + (now - $0.value.updated) * perSecond > $1.value.tokens + (now - $1.value.updated) * perSecond
        }
        for (key, _) in fullest.prefix(buckets.count - maxBuckets * 3 / 4) { buckets[key] = nil }
    }
}
