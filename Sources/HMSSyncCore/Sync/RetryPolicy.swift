import Foundation

/// Exponential backoff with full jitter, bounded by how long the server may stay silent.
public struct RetryPolicy: Sendable {
    /// Give up when the server has not answered for this long.
    public var silenceLimit: TimeInterval
    public var initialDelay: TimeInterval
    public var maxDelay: TimeInterval

    public init(silenceLimit: TimeInterval = 30, initialDelay: TimeInterval = 0.2, maxDelay: TimeInterval = 5) {
        self.silenceLimit = silenceLimit
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
    }

    /// The wait before retry `attempt` (0-based): a random share of the capped exponential step.
    public func delay(attempt: Int, using generator: inout some RandomNumberGenerator) -> TimeInterval {
        let step = min(maxDelay, initialDelay * pow(2, Double(min(attempt, 20))))
        return Double.random(in: step / 2...step, using: &generator)
    }
}
