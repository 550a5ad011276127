import Foundation
import GRDB
import HMSSyncCore
import HMSSyncCurl
import HMSTestSupport

/// (2) first sync into an admin replica, (3) empty pulls at two sizes, (4) offline booking
/// latency: one server database grown by direct writes between runs of the server.
enum ClinicBench {
    static let doctors = 200
    static let patients = 2_000

    static func run(serverBinary: String, folder: String, small: Int, synced: Int, large: Int, pulls: Int) async throws {
        // when a step throws, the process object's end kills a server still running
        let server = try BenchServer.make(executable: serverBinary, folder: folder, name: "clinic")
        try await server.start()  // creates the schema and the admin
        await server.stop()
        let base = Calendar.current.startOfDay(for: Date()).addingTimeInterval(86_400)
        var seeder = Seeder(path: server.databasePath, base: base, doctors: doctors, patients: patients)
        try seeder.users()

        Report.section("3. Empty incremental pull (raw HTTP, server on loopback)")
        try await seed(&seeder, upTo: small)
        try await startAfterSeeding(server, rows: small)
        var api = server.api
        try await PullBench.report(api, token: try await server.login(TestAccounts.adminEmail),
                                   role: "admin", size: label(small), samples: pulls)
        try await PullBench.report(api, token: try await server.login("doctor0@bench.test"),
                                   role: "doctor", size: label(small), samples: pulls)
        await server.stop()

        Report.section("2. First sync of \(label(synced)) appointments into an admin replica (SyncEngine + CurlTransport)")
        try await seed(&seeder, upTo: synced)
        try seeder.windows(onDay: RecordBench.day)
        try await startAfterSeeding(server, rows: synced)
        api = server.api
        let replicaPath = (folder as NSString).appendingPathComponent("admin-replica.sqlite")
        let replica = try Replica(path: replicaPath, key: .random())
        let engine = SyncEngine(replica: replica, transport: CurlTransport(connectTimeout: 10, totalTimeout: 600))
        _ = try await engine.login(server: server.url, email: TestAccounts.adminEmail, password: TestAccounts.adminPassword)
        let (seconds, report) = try await Measure.time { try await engine.sync() }
        Report.figure("first sync, end to end", "\(Measure.count(Double(report.pulled))) rows in \(String(format: "%.2f", seconds)) s = \(Measure.count(Double(report.pulled) / seconds)) rows/s")
        let raw = try await PullBench(api: api, token: try await server.login(TestAccounts.adminEmail))
            .pullToEnd(limit: SyncProtocol.defaultPullLimit)
        Report.figure("same pull, raw HTTP, no replica (limit 1000)", "\(String(format: "%.2f", raw.seconds)) s = \(Measure.count(Double(raw.rows) / raw.seconds)) rows/s")
        let (checksumSeconds, checksum) = try Measure.time { try replica.checksum() }
        let held = try await DatabaseQueue(path: replicaPath).read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM server_rows") ?? 0 }
        Report.figure("the replica's own checksum over its \(Measure.count(Double(held))) rows (every sync's last page)",
                      "\(Measure.ms(checksumSeconds)) = \(Measure.count(Double(held) / checksumSeconds)) rows/s (\(checksum.hex.prefix(8))…)")
        try ReplicaCeiling.run(replicaPath: replicaPath, folder: folder)
        var empty: [Double] = []
        for _ in 0..<50 { empty.append(try await Measure.time { try await engine.sync() }.seconds) }
        Report.figure("empty sync via SyncEngine (median / p95 of 50)", "\(Measure.ms(Measure.median(empty))) / \(Measure.ms(Measure.percentile(empty, 95)))")

        try await RecordBench.run(replica: replica, replicaPath: replicaPath, engine: engine, seeder: seeder)
        await server.stop()

        Report.section("3. (cont.) Empty incremental pull at \(label(large)) appointments")
        try await seed(&seeder, upTo: large)
        try await startAfterSeeding(server, rows: large)
        api = server.api
        try await PullBench.report(api, token: try await server.login(TestAccounts.adminEmail),
                                   role: "admin", size: label(large), samples: pulls)
        try await PullBench.report(api, token: try await server.login("doctor0@bench.test"),
                                   role: "doctor", size: label(large), samples: pulls)
        await server.stop()
    }

    static func seed(_ seeder: inout Seeder, upTo total: Int) async throws {
        let before = seeder.appointments
        let (seconds, _) = try Measure.time { try seeder.appointments(upTo: total) }
        guard try seeder.triggerCount() == 2 else { throw BenchError("the overlap triggers were not restored") }
        Report.figure("seeded \(label(total - before)) appointments by direct SQLite writes",
                      "\(String(format: "%.1f", seconds)) s (\(Measure.count(Double(total - before) / seconds)) rows/s, server stopped)")
    }

    /// Starts the server on a freshly seeded database: the start computes every row's checksum
    /// hash and the scope sums (`Seeder` leaves them to migration v10), so it is timed.
    static func startAfterSeeding(_ server: ServerProcess, rows: Int) async throws {
        let (seconds, _) = try await Measure.time { try await server.start() }
        Report.figure("server start, hashing every change of \(label(rows)) appointments for the pull checksums",
                      String(format: "%.1f s", seconds))
    }

    static func label(_ count: Int) -> String {
        count >= 1_000_000 && count % 1_000_000 == 0 ? "\(count / 1_000_000)M"
            : count >= 1_000 && count % 1_000 == 0 ? "\(count / 1_000)k" : String(count)
    }
}
