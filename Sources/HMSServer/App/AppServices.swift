import Foundation
import HMSSyncCore

/// What the controllers share, built once by `buildApplication`.
struct AppServices: Sendable {
    let config: Config
    let store: any ServerStore
    let tokens: TokenService
    let passwords: PasswordHasher
    let clock: AppClock
    let calendar: ClinicCalendar
    let telemetry: Telemetry
    let sweep: NoShowSweep
    /// A hash of a random password, checked when a login names an unknown email.
    let timingDummyHash: String
    /// Failed logins per account (CONTRACT.md §9.1).
    let loginThrottle: LoginThrottle
}
