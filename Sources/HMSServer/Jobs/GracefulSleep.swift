import ServiceLifecycle

/// Sleeps, but wakes (throwing) as soon as a graceful shutdown begins, so jobs stop between
/// their transactions instead of after a full interval.
func gracefulSleep(_ duration: Duration) async throws {
    try await cancelWhenGracefulShutdown {
        try await Task.sleep(for: duration)
    }
}
