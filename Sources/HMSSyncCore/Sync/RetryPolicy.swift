import Foundation

/// Exponential backoff with full jitter, bounded by how long the server may stay silent.
public struct RetryPolicy: Sendable {
    /// Give up when the server has not answered for this long.
    public var silenceLimit: TimeInterval
    public var initialDelay: TimeInterval
    public var maxDelay: TimeInterval

    /// The longest `Retry-After` honoured; a longer one is waited this long.
    public var maxRetryAfter: TimeInterval

    public init(
        silenceLimit: TimeInterval = 30, initialDelay: TimeInterval = 0.2, maxDelay: TimeInterval = 5,
        maxRetryAfter: TimeInterval = 300
    ) {
        self.silenceLimit = silenceLimit
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    /// The wait a `Retry-After` header asks for, in whole or decimal seconds, clamped to
    /// `0...maxRetryAfter`; nil when there is no such header or it is not a finite number (an
    /// HTTP date, say), so the backoff decides.
    public func retryAfter(_ header: String?) -> TimeInterval? {
        guard let text = header?.trimmingCharacters(in: .whitespaces), let seconds = TimeInterval(text), seconds.isFinite
        else { return nil }
        return min(max(seconds, 0), maxRetryAfter)
    }

    /// The wait before retry `attempt` (0-based): a random share of the capped exponential step.
    public func delay(attempt: Int, using generator: inout some RandomNumberGenerator) -> TimeInterval {
        let step = min(maxDelay, initialDelay * pow(2, Double(min(attempt, 20))))
        return Double.random(in: step / 2...step, using: &generator)
    }
}
