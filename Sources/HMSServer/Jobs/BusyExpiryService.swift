import Foundation
import Logging
import ServiceLifecycle

/// Records the busy deletes of slots that have ended (`Store.expireBusy`) every `interval`, the
/// first a full interval after start; independent of the no-show sweep's interval.
struct BusyExpiryService: Service {
    /// How often slot ends are turned into busy deletes: a slot's busy row outlives its end by
    /// at most this (plus one pass).
    static let defaultInterval: Duration = .seconds(60)

    let store: any ServerStore
    let clock: AppClock
    var interval: Duration = Self.defaultInterval
    let logger: Logger

    func run() async throws {
        await runPeriodically(every: interval, logger: logger, failure: "busy expiry failed") {
            let ended = try await store.expireBusy(now: clock.now())
            if ended > 0 { logger.debug("busy rows expired", metadata: ["count": "\(ended)"]) }
        }
    }
}
