import Foundation
import HMSSyncCore
import HMSTestSupport
import Testing

/// CONTRACT.md §6 "Completeness": concurrent writers can't make a client skip a change.
@Suite struct PullCompletenessTests {
    @Test(arguments: TestBackend.all)
    func pullsDuringConcurrentWritesMissNothing(backend: TestBackend) async throws {
        try await LiveServer.run(backend) { server in
            let admin = try await server.clinic.admin()
            let doctors = [try await server.clinic.addDoctor("Kerr", admin: admin), try await server.clinic.addDoctor("Lowe", admin: admin)]
            let day = TestTime.tomorrow.addingTimeInterval(7 * 3600)
            for doctor in doctors { try await server.clinic.addWindow(doctor, start: day, slots: 40, slotMinutes: 15) }
            var writers: [Account] = []
            for index in 0..<4 { writers.append(try await server.clinic.addPatient("Writer\(index)")) }
            let puller = try await Device.signIn(admin, at: server, name: "puller")
            let doctorPuller = try await Device.signIn(doctors[0], at: server, name: "doctor-puller")
            let rawClient = UUID().uuidString.lowercased()
            let writing = WritingFlag()
            let raw = RawReplica()

            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, writer) in writers.enumerated() {
                    group.addTask {
                        // Each writer has its own connection; slots overlap between writers on purpose.
                        let rest = RESTClient(base: server.url)
                        var generator = SplitMix64(seed: UInt64(index + 1))
                        var mine: [String] = []
                        for _ in 0..<30 {
                            if !mine.isEmpty && generator.next() % 3 == 0 {
                                let id = mine.remove(at: Int(generator.next() % UInt64(mine.count)))
                                _ = try await rest.send("POST", "/v1/appointments/\(id)/cancel", token: writer.accessToken, json: ["reason": "x"])
                            } else {
                                let doctor = doctors[Int(generator.next() % 2)]
                                let slot = day.addingTimeInterval(TimeInterval(Int(generator.next() % 40) * 900))
                                let answer = try await rest.send(
                                    "POST", "/v1/appointments", token: writer.accessToken,
                                    json: ["doctorId": doctor.id, "start": RFC3339.format(slot)])
                                if answer.status == 201 { mine.append(try answer.decode(Appointment.self).id) }
                            }
                        }
                    }
                }
                group.addTask {
                    // The engine pulls to the end, over and over, while the writers write.
                    while writing.isOn { try await puller.sync(); try await doctorPuller.sync() }
                }
                group.addTask {
                    // A raw puller with small pages keeps its own cursor across pulls.
                    let rest = RESTClient(base: server.url)
                    while writing.isOn { _ = try await raw.pullPage(rest, client: rawClient, token: admin.accessToken) }
                }
                // The writers end first; then the pullers stop.
                for _ in 0..<writers.count { try await group.next() }
                writing.stop()
                try await group.waitForAll()
            }

            // One last pull each: every appointment the server has, with its latest status.
            try await puller.sync()
            try await doctorPuller.sync()
            while try await raw.pullPage(server.rest, client: rawClient, token: admin.accessToken).hasMore {}

            let everything = try await server.clinic.appointments(as: admin)
            #expect(everything.count > 20, "the writers wrote something")
            let truth = Dictionary(uniqueKeysWithValues: everything.map { ($0.id, $0.status) })
            #expect(try puller.localAppointments().mapValues(\.appointment.status) == truth)
            #expect(await raw.statuses == truth)
            let doctorsTruth = Dictionary(uniqueKeysWithValues: try await server.clinic.appointments(as: doctors[0]).map { ($0.id, $0.status) })
            #expect(try doctorPuller.localAppointments().mapValues(\.appointment.status) == doctorsTruth)
            #expect(try puller.localAppointments().values.map(\.appointment).sorted { $0.id < $1.id }
                == everything.sorted { $0.id < $1.id })
        }
    }
}

/// Tells the pullers when the writers are done.
final class WritingFlag: @unchecked Sendable {
    // @unchecked: `on` is read and written under `lock` only.
    private let lock = NSLock()
    private var on = true
    var isOn: Bool { lock.withLock { on } }
    func stop() { lock.withLock { on = false } }
}

/// What a minimal client keeps from raw pulls: appointment statuses and its cursor.
actor RawReplica {
    var statuses: [String: AppointmentStatus] = [:]
    var cursor: String?

    /// Pulls the next page of 3 changes after the kept cursor, and keeps it.
    func pullPage(_ rest: RESTClient, client: String, token: String) async throws -> PullResponse {
        var path = "/v1/sync/pull?clientId=\(client)&schemaVersion=1&limit=3"
        if let cursor { path += "&cursor=\(cursor)" }
        let page = try await rest.expect("GET", path, token: token, as: PullResponse.self)
        take(page)
        return page
    }

    private func take(_ page: PullResponse) {
        if page.reset { statuses = [:] }
        for change in page.changes where change.entity == "appointment" {
            guard let id = change.entityId else { continue }
            switch change.op {
            case .put: statuses[id] = change.row?["status"]?.stringValue.flatMap(AppointmentStatus.init(rawValue:))
            case .delete: statuses[id] = nil
            }
        }
        cursor = page.cursor
    }
}
