import Logging
import ServiceLifecycle

/// Runs `pass` every `interval`, the first a full interval after start, until the service group
/// shuts down gracefully (it returns between passes, never inside one). A failed pass is logged
/// by its error's type only (no PHI in logs) and the next one comes as usual.
func runPeriodically(every interval: Duration, logger: Logger, failure: String, _ pass: () async throws -> Void) async {
    while true {
        do {
            try await gracefulSleep(interval)
        } catch {
            return
        }
        if Task.isShuttingDownGracefully { return }
        do {
            try await pass()
        } catch {
            logger.error("\(failure)", metadata: ["error": "\(type(of: error))"])
        }
    }
}
