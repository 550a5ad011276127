import Foundation
import HMSSyncCore
import HMSTestSupport
import Testing

/// Issue 9, "Failure": PostgreSQL stopped and started under load, with two servers on it.
@Suite("PostgreSQL lost while running: 503 UNAVAILABLE, then recovery by itself")
struct DatabaseOutageTests {
    @Test("the database stopped and started under load: 503s while it is down, then recovery, nothing acknowledged lost")
    func outageUnderLoad() async throws {
        guard let postgres = try await ThrowawayPostgres.start() else { return }
        // removed before the test returns: a cleanup left to a task of its own may never run,
        // and the cluster would outlive the test run
        do {
            try await outageUnderLoad(on: postgres)
        } catch {
            await postgres.remove()
            throw error
        }
        await postgres.remove()
    }

    func outageUnderLoad(on postgres: ThrowawayPostgres) async throws {
        try await ServerPair.with(.postgres, on: TestDatabase(postgresURL: postgres.url)) { pair in
            let admin = try await PairClinic.adminToken(pair.first)
            let start = TestTime.day(2)
            let doctorId = try await PairClinic.doctor(pair.first, admin: admin, start: start, hours: 24, slotMinutes: 5)
            let patientId = try await PairClinic.patient(pair.first)

            let recorder = OutageRecorder()
            let load = Task {
                var slot = 0
                while !Task.isCancelled {
                    let server = pair.both[slot % 2]
                    let id = UUID().uuidString.lowercased()
                    let sent = Date()
                    let answer: (status: Int, json: Any?)?
                    do {
                        answer = try await server.rest.call(
                            "POST", "/v1/appointments",
                            ["id": id, "doctorId": doctorId, "start": iso(start.addingTimeInterval(TimeInterval(slot * 300))),
                             "patientId": patientId],
                            token: admin)
                    } catch {
                        answer = nil
                        if !Task.isCancelled {
                            print("outage test: a booking got no answer after \(Int(Date().timeIntervalSince(sent))) s: \(error)")
                        }
                    }
                    // a call cut short by the test's own cancel at the end answered nothing
                    if Task.isCancelled { break }
                    recorder.record(
                        status: answer?.status ?? 0, code: (answer?.json as? [String: Any])?["code"] as? String, id: id)
                    slot += 1
                    try? await Task.sleep(nanoseconds: 10_000_000)
                }
            }
            try await Task.sleep(nanoseconds: 1_000_000_000)
            try await postgres.stopServer()
            try await Task.sleep(nanoseconds: 2_000_000_000)
            for server in pair.both {
                let ready = try await server.rest.call("GET", "/readyz")
                #expect(ready.status == 503)
                #expect((ready.json as? [String: Any])?["code"] as? String == "UNAVAILABLE")
            }
            try await postgres.startServer()
            // Both recover by themselves: ready again within 30 s, then bookings succeed again.
            for server in pair.both {
                let deadline = Date().addingTimeInterval(30)
                while try await server.rest.call("GET", "/readyz").status != 200 {
                    #expect(Date() < deadline, "the server did not recover within 30 s")
                    if Date() >= deadline { return }
                    try await Task.sleep(nanoseconds: 200_000_000)
                }
            }
            let recovered = recorder.count
            try await Task.sleep(nanoseconds: 1_500_000_000)
            load.cancel()
            _ = await load.value

            let answers = recorder.answers
            #expect(answers.contains { $0.status == 503 && $0.code == "UNAVAILABLE" }, "no 503 while the database was down")
            // Every call is answered, 201 or 503, within the client's 30 s: a statement sent as the
            // database went away is failed, not left waiting (`PostgresLostConnectionTests`).
            #expect(answers.allSatisfy { [201, 503].contains($0.status) }, "\(Set(answers.map(\.status)))")
            #expect(answers[recovered...].contains { $0.status == 201 }, "no booking succeeded after the recovery")
            for server in pair.both { #expect(server.isRunning, "a server crashed") }

            let pulled = try await PairClinic.pullToEnd(
                pair.second, token: admin, clientId: UUID().uuidString.lowercased(), cursor: nil)
            let acknowledged = answers.filter { $0.status == 201 }.map(\.id)
            #expect(acknowledged.allSatisfy { pulled.appointments[$0] == "BOOKED" }, "an acknowledged booking was lost")
        }
    }
}

/// What the load saw, in order.
final class OutageRecorder: @unchecked Sendable {
    // @unchecked: `list` is only touched under `lock`.
    struct Answer { let status: Int; let code: String?; let id: String }
    private let lock = NSLock()
    private var list: [Answer] = []

    func record(status: Int, code: String?, id: String) {
        lock.withLock { list.append(Answer(status: status, code: code, id: id)) }
    }
    var answers: [Answer] { lock.withLock { list } }
    var count: Int { lock.withLock { list.count } }
}
