import Foundation
import HMSSyncCore

/// The server's clock: the system clock plus `HMS_CLOCK_OFFSET` (drills and tests only).
struct AppClock: Sendable {
    let offset: TimeInterval

    func now() -> Date { Date().addingTimeInterval(offset).wholeSeconds }
}
