import Foundation
import GRDB
import HMSSyncCore
import HMSTestSupport
import Testing

/// `hms-sync sync` killed with SIGKILL at seeded random instants, over and over, on an admin's
/// and three patients' replicas syncing at once: no recorded intent is ever lost, none is applied
/// twice, and a final sync empties every outbox (CONTRACT.md §6 "Client rules").
@Suite("hms-sync killed mid-sync", .serialized)
struct CrashTests {
    static let seed: UInt64 = 0x5EED_2026
    static let rounds = 24
    static let maxRounds = 60
    static let maxKillDelayMs = 300

    /// One intent the test recorded, and where it must end up.
    struct Recorded {
        let replica: Int
        let name: String
        let appointmentId: String
    }

    /// A replica under test: whose it is, the doctors it books with, the patients an admin books for.
    struct Device {
        let cli: CLI
        let account: Account
        let doctors: [Account]
        let patients: [Account]
        var nextSlot = 0
        var booked: [String] = []
        var cancelled: Set<String> = []
    }

    @Test("SIGKILL at ≥20 random delays: nothing lost, nothing applied twice, outbox empty after a full sync")
    func killNine() async throws {
        try await ServerProcess.with { server in
            let clinic = ClinicBuilder(rest: server.rest)
            let admin = try await clinic.admin()
            let firstDay = TestTime.day(1)
            let windows = (0..<3).map { day in
                (firstDay.addingTimeInterval(Double(day) * 86_400), firstDay.addingTimeInterval(Double(day + 1) * 86_400), 5)
            }
            var doctors: [Account] = []
            for index in 0..<5 { doctors.append(try await clinic.addDoctor("Dr Crash \(index)", admin: admin, windows: windows)) }
            var patients: [Account] = []
            for index in 0..<9 { patients.append(try await clinic.addPatient("Patient \(index)")) }

            // device 0: the admin booking for six patients with two doctors; devices 1-3: one patient and one doctor each
            var devices = [Device(cli: try CLI(name: "admin"), account: admin, doctors: Array(doctors[0..<2]),
                                  patients: Array(patients[0..<6]))]
            for index in 0..<3 {
                devices.append(Device(cli: try CLI(name: "patient\(index)"), account: patients[6 + index],
                                      doctors: [doctors[2 + index]], patients: []))
            }
            for device in devices {
                try await device.cli.login(server, device.account).expectSuccess()
                try await device.cli.run(["sync", "--json"]).expectSuccess()
            }

            var random = SplitMix64(seed: Self.seed)
            var recorded: [Recorded] = []
            var outcomes: [String: Int] = [:]
            var delays: Set<Int> = []
            var round = 0
            // at least `rounds` rounds, and on until 20 syncs were still running when killed
            while round < Self.rounds || (outcomes["killed", default: 0] < 20 && round < Self.maxRounds) {
                for index in devices.indices {
                    // a large first push (the admin's takes a while to apply), then a few each round;
                    // recording replays the device's unsynced intents, so more would mostly slow the test
                    let count = round == 0 ? (index == 0 ? 150 : 40) : Int.random(in: 0...20, using: &random)
                    recorded += try Self.record(count, on: &devices[index], replicaIndex: index, firstDay: firstDay, using: &random)
                }
                var children: [(ChildProcess, Int)] = []
                for device in devices {
                    let delay = Int.random(in: 0...Self.maxKillDelayMs, using: &random)
                    delays.insert(delay)
                    children.append((try device.cli.start(["sync", "--json"]), delay))
                }
                let started = Date()
                for (child, delay) in children.sorted(by: { $0.1 < $1.1 }) {
                    let wait = started.addingTimeInterval(Double(delay) / 1000).timeIntervalSinceNow
                    if wait > 0 { try await Task.sleep(nanoseconds: UInt64(wait * 1_000_000_000)) }
                    child.signal(SIGKILL)
                }
                var killed: [Bool] = []
                for (child, _) in children {
                    let exit = await child.waitForExit(timeout: 60)
                    killed.append(exit.reason == .uncaughtSignal)
                    if exit.reason == .exit && exit.status != 0 {
                        Issue.record("sync exited \(exit.status) by itself: \(child.stdout) \(child.stderr)")
                    }
                }
                // after every crash: each recorded intent is still pending on its device, or on the server
                let states = try Self.expectNothingLost(recorded, devices: devices, server: server, finished: false)
                for (wasKilled, state) in zip(killed, states) {
                    let outcome = !wasKilled ? "finished before the kill"
                        : state.pendingOnServer > 0 ? "killed after the server applied, before the replica took the answer"
                        : state.pending > 0 ? "killed before its push was applied"
                        : "killed after its push (pulling or later)"
                    outcomes[outcome, default: 0] += 1
                    if wasKilled { outcomes["killed", default: 0] += 1 }
                }
                round += 1
            }
            print("crash test: \(recorded.count) intents, \(round) rounds × \(devices.count) replicas, "
                  + "\(delays.count) distinct kill delays, outcomes \(outcomes)")
            #expect(delays.count >= 20)
            #expect(outcomes["killed", default: 0] >= 20, "too few syncs were still running when killed: \(outcomes)")

            for device in devices {
                let sync = try await device.cli.run(["sync", "--json"])
                sync.expectSuccess()
                #expect(sync.object["pending"] as? Int == 0, "\(sync)")
                #expect(try await device.cli.run(["outbox", "--json"]).array.isEmpty)
                #expect(try await device.cli.run(["rejections", "--json"]).array.isEmpty)
                let view = try await device.cli.run(["appointments", "--json"])
                #expect(view.array.allSatisfy { $0["pending"] as? Bool == false })
            }
            try Self.expectNothingLost(recorded, devices: devices, server: server, finished: true)
        }
    }

    /// Records `count` intents through the library (the code `hms-sync book`/`cancel` run), about
    /// one in eight a cancellation of an earlier booking of the same device.
    static func record(_ count: Int, on device: inout Device, replicaIndex: Int, firstDay: Date,
                       using random: inout SplitMix64) throws -> [Recorded] {
        guard count > 0 else { return [] }
        let replica = try Replicas.open(device.cli)
        var recorded: [Recorded] = []
        for _ in 0..<count {
            let cancellable = device.booked.filter { !device.cancelled.contains($0) }
            if !cancellable.isEmpty && Int.random(in: 0..<8, using: &random) == 0 {
                let id = cancellable.randomElement(using: &random)!
                _ = try replica.record(.cancel(CancelIntent(appointmentId: id, reason: "crash test")), now: Date())
                device.cancelled.insert(id)
                recorded.append(Recorded(replica: replicaIndex, name: "cancel", appointmentId: id))
                continue
            }
            // unique per device: doctor and patient never overlap with another intent
            let slot = device.nextSlot
            device.nextSlot += 1
            let doctor = device.doctors[slot % device.doctors.count]
            let start = firstDay.addingTimeInterval(Double(slot / device.doctors.count) * 300)
            let patientId = device.patients.isEmpty ? nil : device.patients[slot % device.patients.count].id
            let id = UUID().uuidString.lowercased()
            _ = try replica.record(
                .book(BookIntent(appointmentId: id, doctorId: doctor.id, start: start, reason: "slot \(slot)", patientId: patientId)),
                now: Date())
            device.booked.append(id)
            recorded.append(Recorded(replica: replicaIndex, name: "book", appointmentId: id))
        }
        return recorded
    }

    /// Each recorded intent is pending on its device, or applied on the server, or (never here)
    /// rejected; when `finished`, all are applied exactly once and nothing is left anywhere.
    /// Answers, per device, its pending intents and how many of those the server already applied.
    @discardableResult
    static func expectNothingLost(_ recorded: [Recorded], devices: [Device], server: ServerProcess, finished: Bool,
                                  sourceLocation: SourceLocation = #_sourceLocation) throws -> [(pending: Int, pendingOnServer: Int)] {
        // plain connections that only read: a read-only one cannot open a WAL file left by a killed process
        let plain = Configuration()
        let serverDB = try DatabaseQueue(path: try #require(server.database.sqlitePath), configuration: plain)
        let (statuses, appliedMutations) = try serverDB.read { db in
            (try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT id, status FROM appointments").map {
                ($0["id"] as String, $0["status"] as String)
            }), try Int.fetchOne(db, sql: "SELECT count(*) FROM sync_mutations WHERE status = 'applied'") ?? 0)
        }
        var lost: [String] = []
        var states: [(pending: Int, pendingOnServer: Int)] = []
        for (index, device) in devices.enumerated() {
            let local = try DatabaseQueue(path: device.cli.replica, configuration: plain)
            let (pending, leftovers, rejected) = try local.read { db in
                (Set(try Row.fetchAll(db, sql: "SELECT name, appointment_id FROM intents WHERE state = 'pending'").map {
                    "\($0["name"] as String) \($0["appointment_id"] as String)"
                }), try Int.fetchOne(db, sql: "SELECT count(*) FROM intents") ?? 0,
                 try Int.fetchOne(db, sql: "SELECT count(*) FROM rejections") ?? 0)
            }
            #expect(rejected == 0, "device \(index) has \(rejected) rejections", sourceLocation: sourceLocation)
            if finished {
                #expect(leftovers == 0, "device \(index) still replays \(leftovers) intents", sourceLocation: sourceLocation)
            }
            var pendingOnServer = 0
            for intent in recorded where intent.replica == index {
                let onServer = intent.name == "book" ? statuses[intent.appointmentId] != nil
                    : statuses[intent.appointmentId] == "CANCELLED"
                let isPending = pending.contains("\(intent.name) \(intent.appointmentId)")
                if !onServer && (finished || !isPending) { lost.append("device \(index) \(intent.name) \(intent.appointmentId)") }
                if onServer && isPending { pendingOnServer += 1 }
            }
            states.append((pending.count, pendingOnServer))
        }
        #expect(lost.isEmpty, "lost \(lost.count) intents: \(lost.prefix(5))", sourceLocation: sourceLocation)
        if finished {
            let books = recorded.filter { $0.name == "book" }
            let cancels = Set(recorded.filter { $0.name == "cancel" }.map(\.appointmentId))
            #expect(statuses.count == books.count, "server has \(statuses.count) appointments for \(books.count) bookings",
                    sourceLocation: sourceLocation)
            #expect(statuses.filter { $0.value == "CANCELLED" }.count == cancels.count, sourceLocation: sourceLocation)
            #expect(statuses.filter { $0.value == "BOOKED" }.count == books.count - cancels.count, sourceLocation: sourceLocation)
            #expect(appliedMutations == recorded.count,
                    "the server applied \(appliedMutations) mutations for \(recorded.count) intents", sourceLocation: sourceLocation)
        }
        return states
    }
}
