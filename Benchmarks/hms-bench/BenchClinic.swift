import Foundation
import HMSSyncCore
import HMSTestSupport

/// The clinic the push and booking benches book into, made over REST: doctors with two 24 h
/// windows of 5-minute slots from `day` (576 slots) and patients. Booking `k` goes to doctor
/// `k % doctors` at slot `k / doctors`, for patient `k % patients`: with more patients than
/// doctors, bookings at one time never share a doctor or a patient, so none conflict.
struct BenchClinic: Sendable {
    let doctorIds: [String]
    let patientIds: [String]
    let day: Date

    /// The id of a created resource.
    struct Created: Decodable { let id: String }

    static func make(_ api: RESTClient, admin: String, doctors: Int, patients: Int, prefix: String) async throws -> BenchClinic {
        let day = Calendar.current.startOfDay(for: Date()).addingTimeInterval(2 * 86_400)
        let clinic = ClinicBuilder(rest: api)
        Report.note("creating \(doctors) doctors with two 24 h windows of 5-minute slots and \(patients) patients over REST")
        var doctorIds: [String] = []
        for index in 0..<doctors {
            let email = "\(prefix)doctor\(index)@bench.test"
            let doctor = try await api.expect(
                "POST", "/v1/admin/doctors", token: admin,
                json: ["name": "Doctor \(index)", "email": email, "password": "bench-password", "specialty": "General"],
                as: Created.self)
            let token = try await clinic.login(email, "bench-password").accessToken
            struct Window: Encodable { let start: Date; let end: Date; let slotMinutes: Int }
            for offset in 0..<2 {
                let start = day.addingTimeInterval(Double(offset) * 86_400)
                _ = try await api.expect(
                    "POST", "/v1/doctors/me/availability", token: token,
                    json: Window(start: start, end: start.addingTimeInterval(86_400), slotMinutes: 5), as: Created.self)
            }
            doctorIds.append(doctor.id)
        }
        var patientIds: [String] = []
        for index in 0..<patients {
            patientIds.append(try await api.expect(
                "POST", "/v1/auth/register",
                json: ["name": "Patient \(index)", "email": "\(prefix)patient\(index)@bench.test", "password": "bench-password"],
                as: Created.self).id)
        }
        return BenchClinic(doctorIds: doctorIds, patientIds: patientIds, day: day)
    }

    /// Booking `k`: its doctor, patient and start.
    func booking(_ k: Int) -> (doctorId: String, patientId: String, start: Date) {
        (doctorIds[k % doctorIds.count], patientIds[k % patientIds.count],
         day.addingTimeInterval(Double(k / doctorIds.count) * 300))
    }
}
