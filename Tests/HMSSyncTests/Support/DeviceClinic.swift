import Foundation
import HMSSyncCore
import HMSTestSupport

/// The scene many sync tests start from: the admin, one doctor with a window of half-hour slots
/// tomorrow, and one patient's device, signed in and synced.
struct DeviceClinic: Sendable {
    let server: LiveServer
    let admin: Account
    let doctor: Account
    let device: Device
    /// The starts of the window's slots, in order.
    let slots: [Date]

    static func make(
        _ server: LiveServer, doctor name: String, patient: String, hour: Int, slots count: Int
    ) async throws -> DeviceClinic {
        let admin = try await server.clinic.admin()
        let doctor = try await server.clinic.addDoctor(name, admin: admin)
        let start = TestTime.tomorrow.addingTimeInterval(TimeInterval(hour * 3600))
        try await server.clinic.addWindow(doctor, start: start, slots: count)
        let device = try await Device.signIn(try await server.clinic.addPatient(patient), at: server)
        try await device.sync()
        return DeviceClinic(
            server: server, admin: admin, doctor: doctor, device: device,
            slots: (0..<count).map { start.addingTimeInterval(TimeInterval($0 * 1800)) })
    }

    /// id → status, as the admin sees them on the server.
    func serverStatuses() async throws -> [String: AppointmentStatus] {
        // A fresh sign-in: the test may have let the first admin token expire.
        let admin = try await server.clinic.admin()
        return Dictionary(uniqueKeysWithValues: try await server.clinic.appointments(as: admin).map { ($0.id, $0.status) })
    }
}
