import Foundation
import HMSSyncCore
import HMSTestSupport
import Testing

/// Issue 9: several stateless `hms-server` processes on one database keep every rule that one
/// server keeps. Each test runs two real servers on a PostgreSQL database, and on one shared
/// SQLite file as the baseline.
@Suite("CONTRACT §4, §5, §6 across two hms-server processes on one database")
struct MultiInstanceTests {
    @Test("50 concurrent bookings of one slot spread over both servers: exactly one wins", arguments: TestBackend.all)
    func oneSlotOneWinner(backend: TestBackend) async throws {
        try await ServerPair.with(backend) { pair in
            let admin = try await PairClinic.adminToken(pair.first)
            let start = TestTime.day(2).addingTimeInterval(9 * 3_600)
            let doctorId = try await PairClinic.doctor(pair.first, admin: admin, start: start, hours: 1, slotMinutes: 30)
            var patients: [String] = []
            for index in 0..<50 { patients.append(try await PairClinic.patient(pair.both[index % 2])) }

            let answers = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for (index, patientId) in patients.enumerated() {
                    let server = pair.both[index % 2]
                    group.addTask {
                        let (status, json) = try await server.rest.call(
                            "POST", "/v1/appointments",
                            ["doctorId": doctorId, "start": iso(start), "patientId": patientId], token: admin)
                        return (status, (json as? [String: Any])?["code"] as? String)
                    }
                }
                return try await group.reduce(into: [(Int, String?)]()) { $0.append($1) }
            }
            #expect(answers.filter { $0.0 == 201 }.count == 1)
            #expect(answers.filter { $0.0 == 409 && $0.1 == "SLOT_TAKEN" }.count == 49)
            for server in pair.both {
                let list = try await server.rest.object("GET", "/v1/appointments?doctorId=\(doctorId)&status=BOOKED", token: admin)
                #expect((list["items"] as? [Any])?.count == 1)
            }
        }
    }

    @Test("pushes through one server and pulls through the other under concurrent writers skip no change",
          arguments: TestBackend.all)
    func pullsSkipNothing(backend: TestBackend) async throws {
        try await ServerPair.with(backend) { pair in
            let admin = try await PairClinic.adminToken(pair.first)
            let start = TestTime.day(2)
            var doctors: [String] = []
            for _ in 0..<2 { doctors.append(try await PairClinic.doctor(pair.first, admin: admin, start: start, hours: 24, slotMinutes: 5)) }
            let writers = 4
            let batches = 20
            let perBatch = 5
            var patients: [String] = []
            for _ in 0..<writers { patients.append(try await PairClinic.patient(pair.first)) }

            let puller = UUID().uuidString.lowercased()
            let finished = DoneFlag()
            let (doctorIds, patientIds) = (doctors, patients)
            let writing = Task {
                defer { finished.set() }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for writer in 0..<writers {
                        group.addTask {
                            let clientId = UUID().uuidString.lowercased()
                            var next = 1
                            for batch in 0..<batches {
                                // writers 0 and 2 take the even slots of doctor 0 and 1, writers 1 and 3 the odd ones
                                let items = (0..<perBatch).map { k in
                                    let slot = (batch * perBatch + k) * 2 + writer / 2
                                    return PairBooking(
                                        id: next + k, appointmentId: UUID().uuidString.lowercased(), doctorId: doctorIds[writer % 2],
                                        start: start.addingTimeInterval(TimeInterval(slot * 300)), patientId: patientIds[writer])
                                }
                                let answer = try await pair.first.rest.object(
                                    "POST", "/v1/sync/push", PairClinic.bookings(clientId: clientId, items), token: admin)
                                let results = answer["results"] as? [[String: Any]] ?? []
                                #expect(results.allSatisfy { $0["status"] as? String == "applied" }, "\(results)")
                                next += perBatch
                                // every other batch cancels its first booking: a change that moves to the end
                                if batch % 2 == 0 {
                                    let cancel: [String: any Sendable] = [
                                        "clientId": clientId, "schemaVersion": 1,
                                        "mutations": [["id": next, "name": "cancel", "args": ["appointmentId": items[0].appointmentId]]]
                                            as [[String: any Sendable]],
                                    ]
                                    _ = try await pair.first.rest.object("POST", "/v1/sync/push", cancel, token: admin)
                                    next += 1
                                }
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            // Incremental pulls through the other server while the writers run; the flag is read
            // before a pull starts, so the last pull begins after the last write committed.
            var seen: [String: String] = [:]
            var cursor: String?
            while true {
                let wasDone = finished.isSet
                let page = try await PairClinic.pullToEnd(pair.second, token: admin, clientId: puller, cursor: cursor)
                seen.merge(page.appointments) { $1 }
                cursor = page.cursor
                if wasDone { break }
                try await Task.sleep(nanoseconds: 20_000_000)
            }
            try await writing.value

            let fresh = try await PairClinic.pullToEnd(
                pair.second, token: admin, clientId: UUID().uuidString.lowercased(), cursor: nil)
            #expect(fresh.appointments.count == writers * batches * perBatch)
            #expect(seen == fresh.appointments, "the incremental puller's view differs from a fresh pull")
            #expect(fresh.appointments.values.filter { $0 == "CANCELLED" }.count == writers * batches / 2)
        }
    }

    @Test("a no-show sweep started on both servers at once leaves one penalty and one email per no-show",
          arguments: TestBackend.all)
    func sweepOnBothAtOnce(backend: TestBackend) async throws {
        try await ServerPair.with(backend) { pair in
            let admin = try await PairClinic.adminToken(pair.first)
            let start = TestTime.day(1).addingTimeInterval(8 * 3_600)
            let doctorId = try await PairClinic.doctor(pair.first, admin: admin, start: start, hours: 8, slotMinutes: 15)
            let count = 24
            for index in 0..<count {
                let patientId = try await PairClinic.patient(pair.both[index % 2])
                try await pair.both[index % 2].rest.object(
                    "POST", "/v1/appointments",
                    ["doctorId": doctorId, "start": iso(start.addingTimeInterval(TimeInterval(index * 900))),
                     "patientId": patientId],
                    token: admin, expect: 201)
            }
            // Both servers come back three days later: every appointment is overdue.
            for server in pair.both { await server.stop() }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for server in pair.both { group.addTask { try await server.start(["--clock-offset", String(3 * 86_400)]) } }
                try await group.waitForAll()
            }
            let later = try await PairClinic.adminToken(pair.first)
            let sweeps = try await withThrowingTaskGroup(of: [String: Int].self) { group in
                for server in pair.both {
                    group.addTask {
                        let answer = try await server.rest.object("POST", "/v1/admin/jobs/no-show", token: later)
                        return answer.compactMapValues { $0 as? Int }
                    }
                }
                return try await group.reduce(into: [[String: Int]]()) { $0.append($1) }
            }
            func total(_ key: String) -> Int { sweeps.map { $0[key] ?? 0 }.reduce(0, +) }
            #expect(total("markedNoShow") == count)
            #expect(total("penaltiesCreated") == count)
            #expect(total("emailsQueued") == count)
            let penalties = try await pair.second.rest.object("GET", "/v1/admin/penalties?limit=100", token: later)
            #expect((penalties["items"] as? [Any])?.count == count)
        }
    }

    @Test("one server killed with kill -9 mid-push: no acknowledged intent lost, none applied twice",
          arguments: TestBackend.all)
    func killedMidPush(backend: TestBackend) async throws {
        try await ServerPair.with(backend) { pair in
            let admin = try await PairClinic.adminToken(pair.first)
            let start = TestTime.day(2)
            var doctors: [String] = []
            var patients: [String] = []
            for _ in 0..<2 {
                doctors.append(try await PairClinic.doctor(pair.first, admin: admin, start: start, hours: 24, slotMinutes: 5))
                patients.append(try await PairClinic.patient(pair.first))
            }
            let total = 400
            let intents = (1...total).map { id in
                PairBooking(
                    id: id, appointmentId: UUID().uuidString.lowercased(), doctorId: doctors[id % 2],
                    start: start.addingTimeInterval(TimeInterval((id / 2) * 300)), patientId: patients[id % 2])
            }
            let clientId = UUID().uuidString.lowercased()
            let killer = Task {
                try await Task.sleep(nanoseconds: UInt64.random(in: 100_000_000...400_000_000))
                await pair.first.stop(SIGKILL)
            }
            var acknowledged = 0
            var server = pair.first
            var next = 1
            while next <= total {
                let batch = Array(intents[(next - 1)..<min(total, next + 9)])
                let answer: (status: Int, json: Any?)
                do {
                    answer = try await server.rest.call(
                        "POST", "/v1/sync/push", PairClinic.bookings(clientId: clientId, batch), token: admin)
                } catch {
                    // the connection died with the server: the same batch goes to the other one
                    guard server === pair.first else { throw error }
                    server = pair.second
                    continue
                }
                guard answer.status == 200, let body = answer.json as? [String: Any] else {
                    // a live server answering anything but 200 is a failure, not a reason to retry forever
                    Issue.record("push answered \(answer.status): \(String(describing: answer.json).prefix(300))")
                    break
                }
                let results = body["results"] as? [[String: Any]] ?? []
                #expect(results.count == batch.count && results.allSatisfy { $0["status"] as? String == "applied" }, "\(results)")
                acknowledged = body["lastMutationId"] as? Int ?? acknowledged
                next = acknowledged + 1
            }
            _ = try? await killer.value
            #expect(acknowledged == total)
            #expect(!pair.first.isRunning, "the first server was killed mid-run")

            let pulled = try await PairClinic.pullToEnd(
                pair.second, token: admin, clientId: UUID().uuidString.lowercased(), cursor: nil)
            #expect(pulled.appointments.count == total)
            #expect(Set(pulled.appointments.keys) == Set(intents.map(\.appointmentId)))
            #expect(pulled.appointments.values.allSatisfy { $0 == "BOOKED" })
        }
    }
}

/// Set once by a writer task, read by the test's loop.
final class DoneFlag: @unchecked Sendable {
    // @unchecked: `done` is only touched under `lock`.
    private let lock = NSLock()
    private var done = false

    func set() { lock.withLock { done = true } }
    var isSet: Bool { lock.withLock { done } }
}
