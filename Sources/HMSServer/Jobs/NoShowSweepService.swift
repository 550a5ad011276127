import Foundation
import Logging
import ServiceLifecycle

/// Runs the no-show sweep every interval, the first one a full interval after start.
struct NoShowSweepService: Service {
    let sweep: NoShowSweep
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await runPeriodically(every: interval, logger: logger, failure: "no-show sweep failed") {
            let result = try await sweep.run()
            logger.info("no-show sweep", metadata: [
                "marked": "\(result.markedNoShow)", "penalties": "\(result.penaltiesCreated)", "emails": "\(result.emailsQueued)",
                "reminders": "\(result.remindersQueued)",
            ])
        }
    }
}
