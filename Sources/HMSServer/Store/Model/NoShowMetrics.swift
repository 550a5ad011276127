import Foundation
import HMSSyncCore

/// `{totalNoShows, penaltiesByPatient: [{patientId, name, count}], noShowsByDoctor: [{doctorId, name, count}]}`.
struct NoShowMetrics: Codable, Sendable, Equatable {
    struct PatientCount: Codable, Sendable, Equatable { let patientId: String; let name: String; let count: Int }
    struct DoctorCount: Codable, Sendable, Equatable { let doctorId: String; let name: String; let count: Int }

    let totalNoShows: Int
    let penaltiesByPatient: [PatientCount]
    let noShowsByDoctor: [DoctorCount]
}
