import Foundation
import GRDB
import HMSSyncCore
import HMSTestSupport

/// (1) How fast the server applies pushes of 500 `book` intents: an admin booking for 50
/// patients across 20 doctors' windows so none conflict, each push timed end to end over
/// loopback; beside it, raw GRDB inserting the same rows in one transaction (the ceiling).
enum PushBench {
    static let doctors = 20
    static let patients = 50
    static let perPush = SyncProtocol.maxMutationsPerPush

    /// With `postgresURL` the server runs on PostgreSQL and only the end-to-end figures are taken
    /// (the ceilings write the SQLite file directly).
    static func run(serverBinary: String, folder: String, pushes: Int, boundTriggers: Bool, postgresURL: String? = nil) async throws {
        Report.section("1. Push apply: \(pushes) pushes of \(perPush) book intents (admin, \(doctors) doctors, \(patients) patients)"
                       + (postgresURL != nil ? " — PostgreSQL" : "")
                       + (boundTriggers ? " — EXPERIMENT: overlap triggers bounded" : ""))
        // when a step throws, the process object's end kills a server still running
        let server = try BenchServer.make(executable: serverBinary, folder: folder, name: "push", postgresURL: postgresURL)
        try await server.start()
        let api = server.api
        let admin = try await server.login(TestAccounts.adminEmail)
        let clinic = try await BenchClinic.make(api, admin: admin, doctors: doctors, patients: patients, prefix: "push")
        let (doctorIds, patientIds, day) = (clinic.doctorIds, clinic.patientIds, clinic.day)

        // intent k: doctor k % 20 at slot k / 20, patient k % 50: same-time intents differ in patient
        let clientId = UUID().uuidString.lowercased()
        let now = Date()
        func mutation(_ k: Int) -> Mutation {
            .init(id: k + 1, name: "book", args: .object([
                "appointmentId": .string(UUID().uuidString.lowercased()), "doctorId": .string(doctorIds[k % doctors]),
                "start": .string(RFC3339.format(day.addingTimeInterval(Double(k / doctors) * 300))),
                "patientId": .string(patientIds[k % patients]), "reason": .string("bench"),
            ]), clientTime: now)
        }
        var next = 0
        /// Seconds of each push after one to warm up.
        func measurePushes() async throws -> [Double] {
            var seconds: [Double] = []
            for push in 0...pushes {
                let request = PushRequest(
                    clientId: clientId, schemaVersion: SyncProtocol.schemaVersion,
                    mutations: (next..<next + perPush).map(mutation))
                next += perPush
                let body = try RFC3339.makeEncoder().encode(request)
                let (elapsed, answer) = try await Measure.time { try await api.send("POST", "/v1/sync/push", token: admin, body: body) }
                let response = try RFC3339.makeDecoder().decode(PushResponse.self, from: answer.body)
                let applied = response.results.filter { $0.status == .applied }.count
                guard answer.status == 200, applied == perPush else {
                    throw BenchError("push \(push) applied \(applied) of \(perPush): \(response.results.first { $0.status == .rejected } as Any)")
                }
                if push > 0 { seconds.append(elapsed) }  // push 0 warms up
            }
            return seconds
        }
        if boundTriggers {
            // an experiment, not what ships: the overlap triggers bounded below (see OverlapTriggers)
            await server.stop()
            try OverlapTriggers.swap(path: server.databasePath, bounded: true)
            try await server.start()
        }
        let cpuBefore = server.pid.flatMap(Measure.cpuSeconds)
        let seconds = try await measurePushes()
        let cpuAfter = server.pid.flatMap(Measure.cpuSeconds)
        let rates = seconds.map { Double(perPush) / $0 }
        Report.figure("push of 500, end to end (median / best / worst)",
                      "\(Measure.ms(Measure.median(seconds))) / \(Measure.ms(seconds.min()!)) / \(Measure.ms(seconds.max()!))")
        Report.figure("push apply rate (median of \(pushes) pushes)", "\(Measure.count(Measure.median(rates))) intents/s")
        if let cpuBefore, let cpuAfter {
            // the warm-up push is counted too: CPU is read around all of them
            let perIntent = (cpuAfter - cpuBefore) / Double((pushes + 1) * perPush)
            Report.figure("server CPU per intent (user + system)", String(format: "%.0f µs", perIntent * 1e6))
        }
        if let pid = server.pid, let peak = Measure.peakResidentMegabytes(pid: pid) {
            Report.figure("server peak RSS (VmHWM) after the pushes", String(format: "%.0f MB", peak))
        }

        await server.stop()
        guard postgresURL == nil else { return }

        if boundTriggers { try OverlapTriggers.swap(path: server.databasePath, bounded: false) }
        let ceiling = try rawInsert(path: server.databasePath, doctorIds: doctorIds, patientIds: patientIds, clientId: clientId,
                                    firstMutationId: next + 1, day: day.addingTimeInterval(2 * 86_400))
        Report.figure("ceiling: GRDB, 500 appointment rows, 1 tx", "\(Measure.ms(ceiling.bare)) → \(Measure.count(Double(perPush) / ceiling.bare)) rows/s")
        Report.figure("ceiling: + 2 changes + 1 sync_mutations row each", "\(Measure.ms(ceiling.full)) → \(Measure.count(Double(perPush) / ceiling.full)) intents/s")
        Report.figure("ceiling: every row a pushed booking leaves, savepoints",
                      "\(Measure.ms(ceiling.everything)) → \(Measure.count(Double(perPush) / ceiling.everything)) intents/s")
        try OverlapTriggers.swap(path: server.databasePath, bounded: true)
        let boundedCeiling = try rawInsert(path: server.databasePath, doctorIds: doctorIds, patientIds: patientIds, clientId: clientId,
                                           firstMutationId: next + 15 * perPush + 1, day: day.addingTimeInterval(20 * 86_400))
        try OverlapTriggers.swap(path: server.databasePath, bounded: false)
        Report.figure("  variant (not shipped): ceilings, triggers bounded",
                      "\(Measure.count(Double(perPush) / boundedCeiling.bare)) rows/s · \(Measure.count(Double(perPush) / boundedCeiling.full)) intents/s")
        try StatementBench.run(path: server.databasePath)
    }

    /// Median over 5 runs each of inserting 500 rows straight into the server's database file (its
    /// schema, triggers and indexes, as many rows as after the pushes, `synchronous = FULL` and
    /// the server's other pragmas), in one transaction: appointments alone; with the two
    /// `changes` rows and the `sync_mutations` row; and with every row a pushed booking leaves
    /// (busy row, change hashes, six scope-sum moves, audit row) inside a savepoint per intent.
    static func rawInsert(path: String, doctorIds: [String], patientIds: [String], clientId: String, firstMutationId: Int, day: Date)
        throws -> (bare: Double, full: Double, everything: Double)
    {
        let pool = try DatabasePool(path: path)
        // as the server commits (docs/operations.md, "Durability of an answer"); after GRDB's WAL
        // set-up, which chooses NORMAL
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536")
        }
        var runs: [Int: [Double]] = [:]
        var mutationId = firstMutationId
        for run in 0..<15 {
            let kind = run % 3
            let runDay = Int64(day.timeIntervalSince1970) + Int64(run) * 86_400
            let now = Int64(Date().timeIntervalSince1970)
            let (elapsed, _) = try Measure.time {
                try pool.write { db in
                    let insert = try db.cachedStatement(sql: """
                        INSERT INTO appointments (id, patient_id, doctor_id, start, "end", status, reason, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, 'BOOKED', 'bench', ?, ?)
                        """)
                    let change = try db.cachedStatement(
                        sql: "INSERT INTO changes (entity, entity_id, doctor_id, patient_id, hash) VALUES (?, ?, ?, ?, ?)")
                    let mutation = try db.cachedStatement(sql: """
                        INSERT INTO sync_mutations (client_id, mutation_id, digest, status, client_time, handled_at)
                        VALUES (?, ?, ?, 'applied', ?, ?)
                        """)
                    let busy = try db.cachedStatement(sql: #"INSERT INTO busy (id, appointment_id, "end") VALUES (?, ?, ?)"#)
                    let sum = try db.cachedStatement(sql: """
                        INSERT INTO scope_sums (entity, owner_kind, owner, sum) VALUES (?, ?, ?, ?)
                        ON CONFLICT (entity, owner_kind, owner) DO UPDATE SET sum = (sum | excluded.sum) - (sum & excluded.sum)
                        """)
                    let audit = try db.cachedStatement(sql: """
                        INSERT INTO audit_log (id, at, actor_id, actor_role, action, entity, entity_id, patient_id, outcome,
                            request_id, client_ip)
                        VALUES (?, ?, ?, 'admin', 'sync push book', 'appointment', ?, ?, 'success', ?, '127.0.0.1')
                        """)
                    for k in 0..<perPush {
                        let id = UUID().uuidString.lowercased()
                        let (doctor, patient) = (doctorIds[k % doctors], patientIds[k % patients])
                        let start = runDay + Int64(k / doctors) * 300
                        if kind == 2 { try db.execute(sql: "SAVEPOINT intent") }
                        try insert.execute(arguments: [id, patient, doctor, start, start + 300, now, now])
                        if kind > 0 {
                            try change.execute(arguments: ["appointment", id, doctor, patient, Int64.random(in: .min ... .max)])
                            try change.execute(arguments: ["busy", id, doctor, patient, Int64.random(in: .min ... .max)])
                            try mutation.execute(arguments: [clientId, mutationId, String(repeating: "ab", count: 32), now, now])
                            mutationId += 1
                        }
                        if kind == 2 {
                            try busy.execute(arguments: [id, id, start + 300])
                            for entity in ["appointment", "busy"] {
                                for (ownerKind, owner) in [("all", ""), ("doctor", doctor), ("patient", patient)] {
                                    try sum.execute(arguments: [entity, ownerKind, owner, Int64.random(in: .min ... .max)])
                                }
                            }
                            try audit.execute(arguments: [UUID().uuidString.lowercased(), now, clientId, id, patient,
                                                          UUID().uuidString.lowercased()])
                            try db.execute(sql: "RELEASE intent")
                        }
                    }
                }
            }
            runs[kind, default: []].append(elapsed)
        }
        return (Measure.median(runs[0]!), Measure.median(runs[1]!), Measure.median(runs[2]!))
    }
}
