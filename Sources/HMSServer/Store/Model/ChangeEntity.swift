import Foundation
import HMSSyncCore

/// The things a pull sends, by the name the sync protocol gives them.
enum ChangeEntity: String {
    case doctor, patient, availability, appointment, penalty
    /// A doctor's time held by an active appointment, under a derived id (`BusyId`) and without
    /// patient data; recorded by `putBusy` and `endBusy` only.
    case busy
}
