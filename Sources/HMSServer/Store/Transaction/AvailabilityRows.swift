import Foundation
import HMSSyncCore

/// The availability writes of a weekly schedule (`ScheduleFlow`).
protocol AvailabilityRows {
    /// Holds the doctor's windows alone until the transaction ends: waits for the doctor's
    /// bookings in flight (they share it, `lockWindowsForBooking`) and keeps other window changes
    /// out, so the windows read next stay all there are. A backend whose writers are serialized
    /// anyway holds nothing.
    func lockWindowsForChange(doctorId: String) throws
    /// Inserts a window whose shape and overlap are already checked.
    func insertWindow(_ window: AvailabilityWindow) throws
}
