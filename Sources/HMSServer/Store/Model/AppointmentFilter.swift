import Foundation
import HMSSyncCore

/// The filters of `GET /v1/appointments`; only an admin's are all honoured.
struct AppointmentFilter: Sendable {
    var status: AppointmentStatus?
    var doctorId: String?
    var patientId: String?
    var from: Date?
    var to: Date?

    /// The filter narrowed to what `actor` may list: a doctor's own schedule, a patient's own
    /// history (their `doctorId` and `patientId` filters are ignored, CONTRACT.md §4).
    func scoped(to actor: Actor) -> AppointmentFilter {
        var scoped = self
        switch actor.role {
        case .admin: break
        case .doctor: scoped.doctorId = actor.userId; scoped.patientId = nil
        case .patient: scoped.patientId = actor.userId; scoped.doctorId = nil
        }
        return scoped
    }

    /// Whether `actor`'s list runs newest first: a patient's history does; schedules run by
    /// start ascending (CONTRACT.md §4).
    static func isNewestFirst(for actor: Actor) -> Bool {
        actor.role == .patient
    }
}
