import Foundation

/// The request bodies of the appointment writes (CONTRACT.md §4, §9.8), read alike by
/// `hms-server` and `hms-sync serve`.
package enum AppointmentBodies {
    package struct Book: Decodable {
        package let id: String?
        package let doctorId: String
        package let start: Date
        package let reason: String?
        package let patientId: String?
    }

    package struct Cancel: Decodable {
        package let reason: String?
    }

    package struct Complete: Decodable {
        package let diagnosis: String?
        package let treatment: String?
    }

    package struct Reschedule: Decodable {
        package let newAppointmentId: String?
        package let start: Date
        package let reason: String?
    }
}
