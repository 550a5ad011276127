import Foundation
import GRDB
import HMSSyncCore
import HMSTestSupport
import Testing

/// CONTRACT.md §6 as a whole: many devices, random intents, a lossy network, interleaved syncs;
/// once every device is quiet, all of them agree with the server and every intent has exactly
/// one result. The run is drawn from a printed seed (set HMS_SYNC_SEED to replay it); syncs of
/// a burst run concurrently, so their interleaving at the server is not part of the replay.
@Suite struct ConvergenceTests {
    @Test(.timeLimit(.minutes(2)), arguments: TestBackend.all)
    func randomIntentsOverALossyNetworkConverge(backend: TestBackend) async throws {
        let seed = ProcessInfo.processInfo.environment["HMS_SYNC_SEED"].flatMap { UInt64($0) }
            ?? UInt64.random(in: 1...UInt64.max)
        print("ConvergenceTests seed: \(seed) (replay with HMS_SYNC_SEED=\(seed))")

        try await LiveServer.run(backend) { server in
            var random = SplitMix64(seed: seed)
            let admin = try await server.clinic.admin()
            let doctors = [try await server.clinic.addDoctor("Ortiz", admin: admin), try await server.clinic.addDoctor("Park", admin: admin)]
            var patients: [Account] = []
            for name in ["Pia", "Quin", "Rae", "Sol", "Tam", "Uma"] { patients.append(try await server.clinic.addPatient(name)) }

            // Each doctor has a window tomorrow, and one that opens two seconds into the run:
            // its first slot can be booked early in the run and completed (no longer booked or
            // cancelled) later, by the server's clock.
            let tomorrow = TestTime.tomorrow.addingTimeInterval(9 * 3600)
            for doctor in doctors { try await server.clinic.addWindow(doctor, start: tomorrow, slots: 12, slotMinutes: 30) }

            var signedIn: [Device] = []
            for account in patients + [admin] + doctors {
                let device = try await Device.signIn(account, at: server)
                try await device.sync()
                // 8% of requests lost, 8% of answers lost, 10% late.
                device.network.randomly(seed: random.next()) { generator in
                    switch generator.next() % 100 {
                    case 0..<8: .dropRequest
                    case 8..<16: .dropResponse
                    case 16..<26: .delay(Double(generator.next() % 30) / 1000)
                    default: .none
                    }
                }
                signedIn.append(device)
            }
            let devices = signedIn
            let opening = TestTime.now.addingTimeInterval(2)
            var slots: [(doctorId: String, start: Date)] = []
            for doctor in doctors {
                try await server.clinic.addWindow(doctor, start: opening, slots: 4, slotMinutes: 5)
                slots += (0..<4).map { (doctor.id, opening.addingTimeInterval(TimeInterval($0 * 300))) }
                slots += (0..<12).map { (doctor.id, tomorrow.addingTimeInterval(TimeInterval($0 * 1800))) }
            }

            var recorded = Array(repeating: 0, count: devices.count)
            var refusedLocally = 0
            var reports = Array(repeating: [SyncReport](), count: devices.count)
            let started = Date()
            var step = 0
            while recorded.reduce(0, +) < 400 && step < 2_000 && Date().timeIntervalSince(started) < 30 {
                step += 1
                let roll = random.next() % 100
                if roll < 70 {
                    let index = Int(random.next() % UInt64(devices.count))
                    let device = devices[index]
                    guard let intent = try Self.randomIntent(for: device, slots: slots, patients: patients, using: &random)
                    else { continue }
                    do {
                        // Doctors' device clocks run ten minutes ahead, so they try some completions too early.
                        let now = device.account.user.role == .doctor ? Date().addingTimeInterval(600) : Date()
                        _ = try device.replica.record(intent, now: now)
                        recorded[index] += 1
                    } catch ReplicaError.refused {
                        refusedLocally += 1
                    }
                } else {
                    // One device syncs, or a burst of two or three at once.
                    let count = roll < 88 ? 1 : 2 + Int(random.next() % 2)
                    var chosen: Set<Int> = []
                    while chosen.count < count { chosen.insert(Int(random.next() % UInt64(devices.count))) }
                    try await withThrowingTaskGroup(of: (Int, SyncReport).self) { group in
                        for index in chosen { group.addTask { (index, try await devices[index].sync()) } }
                        for try await (index, report) in group { reports[index].append(report) }
                    }
                }
            }

            // Quiescence: each device syncs until its outbox is empty and once more; then every
            // device pulls once more, so each has seen everyone's last change.
            for (index, device) in devices.enumerated() { reports[index] += try await device.syncUntilQuiet() }
            for (index, device) in devices.enumerated() { reports[index].append(try await device.sync()) }

            let totalRecorded = recorded.reduce(0, +)
            print("ConvergenceTests: \(step) steps, \(totalRecorded) intents recorded, \(refusedLocally) refused locally, "
                + "\(Int(Date().timeIntervalSince(started))) s; lost requests \(devices.map { $0.network.count("droppedRequest") }.reduce(0, +)), "
                + "lost answers \(devices.map { $0.network.count("droppedResponse") }.reduce(0, +))")
            #expect(totalRecorded >= 200, "hundreds of intents")

            var codes: [String: Int] = [:]
            for (index, device) in devices.enumerated() {
                // Every intent has exactly one result, on the device and at the server.
                let applied = reports[index].map(\.applied).reduce(0, +)
                let rejections = try device.replica.rejections()
                for rejection in rejections { codes[rejection.code, default: 0] += 1 }
                #expect(try device.replica.outbox().isEmpty, "\(device.name) is quiet")
                #expect(applied + rejections.count == recorded[index], "\(device.name): one result per intent")
                #expect(reports[index].map(\.rejected).reduce(0, +) == rejections.count)
                let clientId = try #require(try device.replica.status().clientId)
                let stored = try await server.database.rows(
                    "SELECT status, count(*) FROM sync_mutations WHERE client_id = $1 GROUP BY status", [.text(clientId)]
                ).reduce(into: [String: Int]()) { $0[$1[0].string ?? "", default: 0] = $1[1].int ?? 0 }
                #expect(stored["applied", default: 0] == applied, "\(device.name): applied at the server")
                #expect(stored["rejected", default: 0] == rejections.count, "\(device.name): rejected at the server")

                // The replica's rows are the user's scoped view on the server.
                let local = try device.replica.appointments()
                #expect(local.allSatisfy { !$0.pending }, "\(device.name): nothing pending in the view")
                let remote = try await server.clinic.appointments(as: device.account)
                #expect(local.map(\.appointment).sorted { $0.id < $1.id } == remote.sorted { $0.id < $1.id },
                        "\(device.name): local view equals the server's")
                let directory: [Doctor] = try await server.rest.all("/v1/doctors", token: device.account.accessToken)
                #expect(try device.replica.doctors().map(\.id).sorted() == directory.map(\.id).sorted())
                if device.account.user.role == .patient {
                    for doctor in doctors {
                        for day in [opening, tomorrow] {
                            #expect(try device.replica.slots(doctorId: doctor.id, day: TestTime.day(of: day))
                                == (try await server.clinic.slots(doctorId: doctor.id, day: day, as: device.account)),
                                "\(device.name): slots of \(doctor.user.name)")
                        }
                    }
                }
            }
            print("ConvergenceTests rejections: \(codes.sorted { $0.key < $1.key })")

            // No two active appointments of one doctor, or of one patient, overlap.
            let all = try await server.clinic.appointments(as: admin)
            let active = all.filter { $0.status == .booked || $0.status == .completed }
            for key in [\Appointment.doctorId, \Appointment.patientId] {
                for (_, group) in Dictionary(grouping: active, by: { $0[keyPath: key] }) {
                    let ordered = group.sorted { $0.start < $1.start }
                    for (earlier, later) in zip(ordered, ordered.dropFirst()) {
                        #expect(earlier.end <= later.start, "active appointments \(earlier.id) and \(later.id) overlap")
                    }
                }
            }
            print("ConvergenceTests outcome: \(Dictionary(grouping: all, by: \.status).mapValues(\.count))")
        }
    }

    /// A random intent this device's user could want, drawn from its local view; nil when there
    /// is nothing to act on.
    static func randomIntent(
        for device: Device, slots: [(doctorId: String, start: Date)], patients: [Account], using random: inout SplitMix64
    ) throws -> Intent? {
        let booked = try device.replica.appointments(status: .booked).map(\.appointment)
        func anyBooked() -> Appointment? { booked.isEmpty ? nil : booked[Int(random.next() % UInt64(booked.count))] }
        func book(for patientId: String?) -> Intent {
            let slot = slots[Int(random.next() % UInt64(slots.count))]
            return .book(BookIntent(appointmentId: random.uuid(), doctorId: slot.doctorId, start: slot.start,
                                    reason: "visit \(random.next() % 1000)", patientId: patientId))
        }
        switch device.account.user.role {
        case .patient:
            if random.next() % 100 < 35, let target = anyBooked() {
                return .cancel(CancelIntent(appointmentId: target.id, reason: "cannot come"))
            }
            return book(for: nil)
        case .admin:
            if random.next() % 100 < 40, let target = anyBooked() {
                return .cancel(CancelIntent(appointmentId: target.id, reason: "clinic closed"))
            }
            return book(for: patients[Int(random.next() % UInt64(patients.count))].id)
        case .doctor:
            guard let target = anyBooked() else { return nil }
            return .complete(CompleteIntent(appointmentId: target.id, diagnosis: "fine", treatment: "none"))
        }
    }
}
