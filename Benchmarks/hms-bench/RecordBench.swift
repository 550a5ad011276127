import Foundation
import GRDB
import HMSSyncCore

/// (4) Recording an offline booking on a replica (`Replica.record`: rules against the local
/// view, outbox row, one durable transaction): into an empty outbox (a synced device), and
/// one after another as the outbox grows.
enum RecordBench {
    /// The day (after the seeder's base) whose windows the bookings use.
    static let day = 400

    static func run(replica: Replica, replicaPath: String, engine: SyncEngine, seeder: Seeder) async throws {
        Report.section("4. Replica.record of an offline booking (admin replica holding the synced clinic)")
        let first = seeder.base.addingTimeInterval(Double(day) * 86_400)
        var k = 0
        func record() throws -> Double {
            defer { k += 1 }
            let intent = BookIntent(
                appointmentId: UUID().uuidString.lowercased(), doctorId: seeder.doctorIds[k % seeder.doctorIds.count],
                start: first.addingTimeInterval(Double(k / seeder.doctorIds.count) * Double(Seeder.slot)),
                reason: "bench", patientId: seeder.patientIds[k % seeder.patientIds.count])
            return try Measure.time { try replica.record(.book(intent), now: Date()) }.seconds
        }
        func line(_ name: String, _ samples: [Double]) {
            Report.figure(name, "p50 \(Measure.ms(Measure.median(samples), digits: 3)) · p95 \(Measure.ms(Measure.percentile(samples, 95), digits: 3)) · p99 \(Measure.ms(Measure.percentile(samples, 99), digits: 3))")
        }

        var empty: [Double] = []
        var cpu: [Double] = []
        for _ in 0..<50 {
            let cpuBefore = processCPUSeconds()
            empty.append(try record())
            cpu.append(processCPUSeconds() - cpuBefore)
            _ = try await engine.sync()
        }
        line("record into an empty outbox (sync after each, 50)", empty)
        line("  of which CPU (the rest is waiting on fsync)", cpu)

        var growing: [Double] = []
        for _ in 0..<200 { growing.append(try record()) }
        line("record with 0-99 pending before it", Array(growing[0..<100]))
        line("record with 190-199 pending before it", Array(growing[190..<200]))
        let (pushSeconds, report) = try await Measure.time { try await engine.sync() }
        Report.figure("then sync: push \(report.pushed) + pull, end to end", "\(String(format: "%.2f", pushSeconds)) s (\(report.applied) applied, \(report.rejected) rejected)")

        // what one durable commit costs on this disk, the floor under any record
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        let queue = try DatabaseQueue(path: replicaPath, configuration: configuration)
        var commits: [Double] = []
        for _ in 0..<50 {
            commits.append(try Measure.time {
                try queue.write { db in
                    try db.execute(sql: "INSERT OR REPLACE INTO state (key, value) VALUES ('benchFloor', ?)", arguments: [UUID().uuidString])
                }
            }.seconds)
        }
        try await queue.write { db in try db.execute(sql: "DELETE FROM state WHERE key = 'benchFloor'") }
        line("floor: one synchronous=FULL WAL commit, 1 row", commits)
    }
}

/// CPU seconds used by this process so far, all threads (GRDB runs the write on its own queue).
func processCPUSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}
