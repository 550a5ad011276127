import Foundation
import GRDB
import HMSSyncCore
import HMSTestSupport
import Testing

/// CONTRACT.md §9.6: a replica changed behind the engine's back (a row lost, a row gone stale, a
/// row the server no longer has) is found out by the next sync's checksum and repaired in that
/// sync, without user action and without losing what is pending.
@Suite struct DivergenceRepairTests {
    /// The admin, Dr Wilson with six slots tomorrow from 09:00, Ines's synced device, and a
    /// second doctor, whose directory row the `lostRow` damage loses.
    struct Setting: Sendable {
        let clinic: DeviceClinic
        let other: Account

        var server: LiveServer { clinic.server }
        var admin: Account { clinic.admin }
        var doctor: Account { clinic.doctor }
        var device: Device { clinic.device }
        var slots: [Date] { clinic.slots }

        static func make(_ server: LiveServer) async throws -> Setting {
            let clinic = try await DeviceClinic.make(server, doctor: "Wilson", patient: "Ines", hour: 9, slots: 6)
            let other = try await server.clinic.addDoctor("House", admin: clinic.admin)
            try await clinic.device.sync()
            return Setting(clinic: clinic, other: other)
        }
    }

    /// How a test damages the replica, given the setting and a booked appointment.
    enum Damage: String, CaseIterable, Sendable {
        /// a doctor's directory row is lost
        case lostRow
        /// an appointment is put back as it was before the server cancelled it
        case staleRow
        /// a window the server has removed comes back
        case strayRow
    }

    /// Each damage, on each backend.
    static let cases = TestBackend.all.flatMap { backend in Damage.allCases.map { (backend, $0) } }

    @Test(arguments: cases)
    func theNextSyncFindsTheDamageAndRepairsItKeepingWhatIsPending(backend: TestBackend, damage: Damage) async throws {
        try await LiveServer.run(backend) { server in
            let setting = try await Setting.make(server)
            let device = setting.device
            let booked = try device.book(setting.doctor.id, at: setting.slots[0], reason: "checkup")
            try await device.sync()
            let expectedEntity = try await Self.damage(damage, setting, booked: booked)
            let onServer = try await Self.serverChecksum(setting)
            #expect(try device.replica.checksum().entities(differingFrom: onServer) == [expectedEntity])

            // an intent recorded while the sync's pull is on the wire stays pending through the repair
            device.network.once(.delay(1.0)) { $0.isPull }
            async let report = device.sync()
            try await Task.sleep(nanoseconds: 300_000_000)
            let pending = try device.book(setting.doctor.id, at: setting.slots[4], reason: "while repairing")
            let repaired = try await report
            #expect(repaired.repaired == [expectedEntity])
            #expect(repaired.unrepaired.isEmpty)
            #expect(try device.replica.outbox().map { $0.args["appointmentId"]?.stringValue } == [pending.id])
            #expect(try device.localAppointments()[pending.id]?.pending == true)

            let status = try device.replica.status()
            #expect(status.repairs == 1)
            #expect(status.lastRepairAt != nil)
            #expect(try device.replica.checksum().hex == (try await Self.serverChecksum(setting)).hex)

            // the pending intent goes through once, and nothing differs any more
            let after = try await device.sync()
            #expect(after.applied == 1 && after.repaired.isEmpty)
            #expect(try device.replica.status().repairs == 1)
            let statuses = try await setting.clinic.serverStatuses()
            #expect(statuses[pending.id] == .booked)
            #expect(try device.localAppointments().mapValues(\.appointment.status) == statuses)
        }
    }

    /// Damages the replica; answers the entity whose rows now differ.
    static func damage(_ damage: Damage, _ setting: Setting, booked: Appointment) async throws -> String {
        let device = setting.device
        switch damage {
        case .lostRow:
            try device.tamper("DELETE FROM server_rows WHERE entity = 'doctor' AND id = ?", arguments: [setting.other.id])
            return "doctor"
        case .staleRow:
            let before = try #require(try Self.storedRow(device, entity: "appointment", id: booked.id))
            _ = try await setting.server.rest.expect(
                "POST", "/v1/appointments/\(booked.id)/cancel", token: setting.admin.accessToken, json: ["reason": "clinic closed"],
                as: Appointment.self)
            try await device.sync()
            #expect(try device.localAppointments()[booked.id]?.appointment.status == .cancelled)
            try Self.putBack(device, before)
            #expect(try device.localAppointments()[booked.id]?.appointment.status == .booked)
            return "appointment"
        case .strayRow:
            let window = try await setting.server.clinic.addWindow(
                setting.doctor, start: setting.slots[0].addingTimeInterval(86_400), slots: 2)
            try await device.sync()
            let stored = try #require(try Self.storedRow(device, entity: "availability", id: window.id))
            _ = try await setting.server.rest.send(
                "DELETE", "/v1/doctors/me/availability/\(window.id)", token: setting.doctor.accessToken)
            try await device.sync()
            #expect(try Self.storedRow(device, entity: "availability", id: window.id) == nil)
            try Self.putBack(device, stored)
            return "availability"
        }
    }

    /// A replica row exactly as stored (sealed), every column.
    static func storedRow(_ device: Device, entity: String, id: String) throws -> Row? {
        try DatabaseQueue(path: device.path).read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM server_rows WHERE entity = ? AND id = ?", arguments: [entity, id])
        }
    }

    static func putBack(_ device: Device, _ row: Row) throws {
        let columns = Array(row.columnNames)
        try device.tamper(
            "INSERT OR REPLACE INTO server_rows (\(columns.map { "\"\($0)\"" }.joined(separator: ", "))) VALUES (\(databaseQuestionMarks(count: columns.count)))",
            arguments: StatementArguments(row.databaseValues))
    }

    /// The checksum the server gives the device's user now, from a fresh client's pull.
    static func serverChecksum(_ setting: Setting) async throws -> ScopeChecksum {
        let account = try await setting.server.clinic.login(setting.device.account.email, setting.device.account.password)
        let clientId = UUID().uuidString.lowercased()
        var cursor: String?
        while true {
            var path = "/v1/sync/pull?clientId=\(clientId)&schemaVersion=1"
            if let cursor { path += "&cursor=\(cursor)" }
            let page = try await setting.server.rest.expect("GET", path, token: account.accessToken, as: PullResponse.self)
            if !page.hasMore { return try #require(page.checksum.flatMap(ScopeChecksum.init(hex:))) }
            cursor = page.cursor
        }
    }

    @Test("while other users write all the time, a device's syncs never find a difference", arguments: TestBackend.all)
    func checksumsHoldUnderConcurrentWriters(backend: TestBackend) async throws {
        try await LiveServer.run(backend) { server in
            let setting = try await Setting.make(server)
            var writers: [Account] = []
            for index in 0..<4 { writers.append(try await server.clinic.addPatient("Writer \(index)")) }
            let start = TestTime.tomorrow.addingTimeInterval(30 * 3600)
            try await server.clinic.addWindow(setting.doctor, start: start, slots: 40, slotMinutes: 15)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, writer) in writers.enumerated() {
                    let writer = writer
                    group.addTask {
                        for round in 0..<10 {
                            let slot = start.addingTimeInterval(TimeInterval((index * 10 + round) * 900))
                            let answer = try await server.rest.send(
                                "POST", "/v1/appointments", token: writer.accessToken,
                                json: ["doctorId": setting.doctor.id, "start": RFC3339.format(slot)])
                            if round % 3 == 0, answer.status == 201 {
                                let id = try answer.decode(Appointment.self).id
                                _ = try await server.rest.send(
                                    "POST", "/v1/appointments/\(id)/cancel", token: writer.accessToken, json: [String: String]())
                            }
                        }
                    }
                }
                group.addTask {
                    for _ in 0..<12 {
                        let report = try await setting.device.sync()
                        #expect(report.repaired.isEmpty && report.unrepaired.isEmpty)
                    }
                }
                try await group.waitForAll()
            }
            let last = try await setting.device.sync()
            #expect(last.repaired.isEmpty && last.unrepaired.isEmpty)
            #expect(try setting.device.replica.status().repairs == 0)
            #expect(try setting.device.replica.checksum().hex == (try await Self.serverChecksum(setting)).hex)
        }
    }
}
