import Foundation
import HMSSyncCore
import HMSTestSupport
import Testing

/// CONTRACT.md §6 "Pull", spoken directly over HTTP.
@Suite struct PullProtocolTests {
    /// Two doctors, two patients, each patient booked with one doctor.
    struct Setting: Sendable {
        let server: LiveServer
        let admin: Account
        let doctors: [Account]
        let patients: [Account]
        let appointments: [Appointment]

        static func make(_ server: LiveServer) async throws -> Setting {
            let admin = try await server.clinic.admin()
            let doctors = [try await server.clinic.addDoctor("Ames", admin: admin), try await server.clinic.addDoctor("Bell", admin: admin)]
            let patients = [try await server.clinic.addPatient("Fay"), try await server.clinic.addPatient("Gus")]
            let start = TestTime.tomorrow.addingTimeInterval(8 * 3600)
            var appointments: [Appointment] = []
            for (doctor, patient) in zip(doctors, patients) {
                try await server.clinic.addWindow(doctor, start: start, slots: 4)
                appointments.append(try await server.rest.expect(
                    "POST", "/v1/appointments", token: patient.accessToken,
                    json: ["doctorId": doctor.id, "start": RFC3339.format(start), "reason": "private"], as: Appointment.self))
            }
            return Setting(server: server, admin: admin, doctors: doctors, patients: patients, appointments: appointments)
        }
    }

    /// Pulls every page for a new client of `account`.
    static func pullAll(_ server: LiveServer, as account: Account, limit: Int? = nil, client: String? = nil) async throws
        -> (changes: [Change], pages: [PullResponse])
    {
        let client = client ?? UUID().uuidString.lowercased()
        var pages: [PullResponse] = []
        var cursor: String?
        repeat {
            var path = "/v1/sync/pull?clientId=\(client)&schemaVersion=1"
            if let limit { path += "&limit=\(limit)" }
            if let cursor { path += "&cursor=\(cursor)" }
            let page = try await server.rest.expect("GET", path, token: account.accessToken, as: PullResponse.self)
            pages.append(page)
            cursor = page.cursor
            if pages.count > 1_000 { throw TestFailure("the pull never ends") }
        } while pages.last?.hasMore == true
        return (pages.flatMap(\.changes), pages)
    }

    static func ids(_ changes: [Change], _ entity: String) -> Set<String> {
        Set(changes.filter { $0.entity == entity }.compactMap(\.entityId))
    }

    @Test(arguments: TestBackend.all)
    func aPatientGetsTheDirectoryBusyTimesAndOnlyTheirOwnRecords(backend: TestBackend) async throws {
        try await LiveServer.run(backend) { server in
            let setting = try await Setting.make(server)
            let (mine, theirs) = (setting.appointments[0], setting.appointments[1])
            let changes = try await Self.pullAll(server, as: setting.patients[0]).changes
            #expect(Self.ids(changes, "appointment") == [mine.id])
            #expect(Self.ids(changes, "patient") == [setting.patients[0].id])
            #expect(Self.ids(changes, "doctor") == Set(setting.doctors.map(\.id)))
            #expect(Self.ids(changes, "availability").count == 2)
            // only the other patient's booking, and under an id that is not its appointment id
            #expect(Self.ids(changes, "busy").count == 1)
            #expect(Self.ids(changes, "busy").isDisjoint(with: [mine.id, theirs.id]))
            for busy in changes where busy.entity == "busy" {
                #expect(busy.row?["patientId"] == nil && busy.row?["patient"] == nil)
                if case .object(let fields)? = busy.row {
                    #expect(Set(fields.keys) == ["id", "doctorId", "start", "end"])
                } else {
                    Issue.record("a busy put carries no row")
                }
            }
            let text = String(decoding: try RFC3339.makeEncoder().encode(changes), as: UTF8.self)
            #expect(!text.contains(setting.patients[1].id))
            #expect(!text.contains(setting.patients[1].email))
        }
    }

    @Test(arguments: TestBackend.all)
    func aDoctorGetsTheDirectoryAndOnlyTheirOwnWindowsAndAppointments(backend: TestBackend) async throws {
        try await LiveServer.run(backend) { server in
            let setting = try await Setting.make(server)
            let changes = try await Self.pullAll(server, as: setting.doctors[0]).changes
            #expect(Self.ids(changes, "appointment") == [setting.appointments[0].id])
            #expect(Self.ids(changes, "doctor") == Set(setting.doctors.map(\.id)))
            #expect(Self.ids(changes, "availability").count == 1)
            #expect(Self.ids(changes, "patient").isEmpty)
            #expect(Self.ids(changes, "busy").isEmpty)
            let row = changes.first { $0.entity == "appointment" }?.row
            #expect(row?["patient"]?["name"]?.stringValue == "Fay")
        }
    }

    @Test(arguments: TestBackend.all)
    func anAdminGetsEverything(backend: TestBackend) async throws {
        try await LiveServer.run(backend) { server in
            let setting = try await Setting.make(server)
            let changes = try await Self.pullAll(server, as: setting.admin).changes
            #expect(Self.ids(changes, "appointment") == Set(setting.appointments.map(\.id)))
            #expect(Self.ids(changes, "patient") == Set(setting.patients.map(\.id)))
            #expect(Self.ids(changes, "doctor") == Set(setting.doctors.map(\.id)))
            #expect(Self.ids(changes, "availability").count == 2)
        }
    }

    @Test(arguments: TestBackend.all, ["garbage!!", "b3RoZXItZGF0YWJhc2U6Mw", "", "MTIzNDU2Nzg5MDoxMg"])
    func aCursorTheServerCannotServeResetsToTheFirstPage(backend: TestBackend, cursor: String) async throws {
        try await LiveServer.run(backend) { server in
            let setting = try await Setting.make(server)
            let client = UUID().uuidString.lowercased()
            let first = try await server.rest.expect(
                "GET", "/v1/sync/pull?clientId=\(client)&schemaVersion=1&limit=3", token: setting.admin.accessToken,
                as: PullResponse.self)
            #expect(first.reset == false)
            let answer = try await server.rest.expect(
                "GET", "/v1/sync/pull?clientId=\(client)&schemaVersion=1&limit=3&cursor=\(cursor)", token: setting.admin.accessToken,
                as: PullResponse.self)
            // An empty cursor is no cursor: the first page, no reset.
            #expect(answer.reset == !cursor.isEmpty)
            #expect(answer.changes == first.changes)
            #expect(answer.cursor == first.cursor)
        }
    }

    @Test(arguments: TestBackend.all)
    func aCursorOfAnotherDatabaseResets(backend: TestBackend) async throws {
        let foreign = try await LiveServer.run(backend) { other in
            let admin = try await other.clinic.admin()
            _ = try await other.clinic.addPatient("Ivy")
            return try await other.rest.expect(
                "GET", "/v1/sync/pull?clientId=\(UUID().uuidString.lowercased())&schemaVersion=1", token: admin.accessToken,
                as: PullResponse.self
            ).cursor
        }
        try await LiveServer.run(backend) { server in
            let setting = try await Setting.make(server)
            let answer = try await server.rest.expect(
                "GET", "/v1/sync/pull?clientId=\(UUID().uuidString.lowercased())&schemaVersion=1&cursor=\(foreign)",
                token: setting.admin.accessToken, as: PullResponse.self)
            #expect(answer.reset)
            #expect(Self.ids(answer.changes, "appointment") == Set(setting.appointments.map(\.id)))
        }
    }

    @Test(arguments: TestBackend.all)
    func aLimitPagesInChangeOrderWithHasMore(backend: TestBackend) async throws {
        try await LiveServer.run(backend) { server in
            let setting = try await Setting.make(server)
            let whole = try await Self.pullAll(server, as: setting.admin)
            #expect(whole.pages.count == 1)
            let paged = try await Self.pullAll(server, as: setting.admin, limit: 2)
            #expect(paged.pages.count == (whole.changes.count + 1) / 2)
            #expect(paged.pages.dropLast().allSatisfy { $0.hasMore && $0.changes.count == 2 })
            #expect(paged.pages.last?.hasMore == false)
            #expect(paged.changes == whole.changes)

            // A cursor at the end answers nothing new; a change after it comes on the next pull.
            let end = try #require(paged.pages.last?.cursor)
            let client = UUID().uuidString.lowercased()
            let quiet = try await server.rest.expect(
                "GET", "/v1/sync/pull?clientId=\(client)&schemaVersion=1&cursor=\(end)", token: setting.admin.accessToken,
                as: PullResponse.self)
            #expect(quiet.changes.isEmpty && !quiet.hasMore && !quiet.reset)
            _ = try await server.rest.expect(
                "POST", "/v1/appointments/\(setting.appointments[0].id)/cancel", token: setting.patients[0].accessToken,
                json: ["reason": "better"], as: Appointment.self)
            let next = try await server.rest.expect(
                "GET", "/v1/sync/pull?clientId=\(client)&schemaVersion=1&cursor=\(end)", token: setting.admin.accessToken,
                as: PullResponse.self)
            #expect(next.changes.filter { $0.entity == "appointment" }.map { $0.row?["status"]?.stringValue } == ["CANCELLED"])
        }
    }

    @Test(arguments: TestBackend.all)
    func aPatientsBusyRowIsDeletedOnceTheAppointmentIsCancelled(backend: TestBackend) async throws {
        try await LiveServer.run(backend) { server in
            let setting = try await Setting.make(server)
            let theirs = setting.appointments[1]
            let start = try await Self.pullAll(server, as: setting.patients[0])
            let busyId = try #require(Self.ids(start.changes, "busy").first)
            _ = try await server.rest.expect(
                "POST", "/v1/appointments/\(theirs.id)/cancel", token: setting.patients[1].accessToken,
                json: ["reason": "away"], as: Appointment.self)
            let client = UUID().uuidString.lowercased()
            let after = try await server.rest.expect(
                "GET", "/v1/sync/pull?clientId=\(client)&schemaVersion=1&cursor=\(start.pages.last!.cursor)",
                token: setting.patients[0].accessToken, as: PullResponse.self)
            #expect(after.changes == [Change(entity: "busy", op: .delete, id: busyId, row: nil)])
        }
    }
}
