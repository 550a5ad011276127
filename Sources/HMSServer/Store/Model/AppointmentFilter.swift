import Foundation
import HMSSyncCore

/// The filters of `GET /v1/appointments`; only an admin's are all honoured.
struct AppointmentFilter: Sendable {
    var status: AppointmentStatus?
    var doctorId: String?
    var patientId: String?
    var from: Date?
    var to: Date?
}
