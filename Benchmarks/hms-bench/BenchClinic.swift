import Foundation
import HMSSyncCore

/// The clinic the push and booking benches book into, made over REST: doctors with two 24 h
/// windows of 5-minute slots from `day` (1,152 slots each) and patients. Booking `k` goes to
/// doctor `k % doctors` at slot `k / doctors`, for patient `k % patients`: with more patients
/// than doctors, bookings at one time never share a doctor or a patient, so none conflict.
struct BenchClinic {
    let doctorIds: [String]
    let patientIds: [String]
    let day: Date

    static func make(_ api: API, admin: String, doctors: Int, patients: Int, prefix: String) async throws -> BenchClinic {
        let day = Calendar.current.startOfDay(for: Date()).addingTimeInterval(2 * 86_400)
        Report.note("creating \(doctors) doctors with two 24 h windows of 5-minute slots and \(patients) patients over REST")
        var doctorIds: [String] = []
        for index in 0..<doctors {
            let email = "\(prefix)doctor\(index)@bench.test"
            let doctor = try await api.call(
                "POST", "/v1/admin/doctors",
                ["name": "Doctor \(index)", "email": email, "password": "bench-password", "specialty": "General"],
                token: admin, as: API.Created.self)
            let token = try await api.login(email, "bench-password")
            struct Window: Encodable { let start: Date; let end: Date; let slotMinutes: Int }
            for offset in 0..<2 {
                let start = day.addingTimeInterval(Double(offset) * 86_400)
                _ = try await api.call(
                    "POST", "/v1/doctors/me/availability", Window(start: start, end: start.addingTimeInterval(86_400), slotMinutes: 5),
                    token: token, as: API.Created.self)
            }
            doctorIds.append(doctor.id)
        }
        var patientIds: [String] = []
        for index in 0..<patients {
            patientIds.append(try await api.call(
                "POST", "/v1/auth/register",
                ["name": "Patient \(index)", "email": "\(prefix)patient\(index)@bench.test", "password": "bench-password"],
                as: API.Created.self).id)
        }
        return BenchClinic(doctorIds: doctorIds, patientIds: patientIds, day: day)
    }

    /// Booking `k`: its doctor, patient and start.
    func booking(_ k: Int) -> (doctorId: String, patientId: String, start: Date) {
        (doctorIds[k % doctorIds.count], patientIds[k % patientIds.count],
         day.addingTimeInterval(Double(k / doctorIds.count) * 300))
    }
}
