import Foundation
import HMSSyncCore
import HMSTestSupport

/// (5) REST booking throughput: concurrent clients each booking free slots through
/// `POST /v1/appointments` as the admin, spread round-robin over one or two servers on one
/// database, or against the Flask peer. Every booking must answer 201.
enum ScaleOutBench {
    static let clients = 32

    static func run(label: String, servers: [ServerProcess], bookings: Int) async throws -> Double {
        for server in servers { try await server.start() }
        let rate = try await measure(label: label, urls: servers.map(\.url), bookings: bookings)
        for server in servers { await server.stop() }
        return rate
    }

    /// The same workload against any service at `urls` that answers HMS's paths for it (the
    /// Flask peer does); answers the bookings per second.
    static func measure(label: String, urls: [String], bookings: Int) async throws -> Double {
        let api = RESTClient(base: urls[0], timeout: 600)
        let admin = try await ClinicBuilder(rest: api).login(TestAccounts.adminEmail, TestAccounts.adminPassword).accessToken
        let clinic = try await BenchClinic.make(api, admin: admin, doctors: 20, patients: 50, prefix: "scale")
        Report.note("\(label): \(bookings) bookings by \(clients) clients")
        let (elapsed, latencies) = try await Measure.time {
            try await withThrowingTaskGroup(of: [Double].self) { group in
                for client in 0..<clients {
                    group.addTask {
                        let api = RESTClient(base: urls[client % urls.count], timeout: 60)
                        var seconds: [Double] = []
                        for k in stride(from: client, to: bookings, by: clients) {
                            let (doctorId, patientId, start) = clinic.booking(k)
                            let body = try RFC3339.makeEncoder().encode(
                                ["doctorId": doctorId, "patientId": patientId, "start": RFC3339.format(start)])
                            let (took, answer) = try await Measure.time {
                                try await api.send("POST", "/v1/appointments", token: admin, body: body)
                            }
                            guard answer.status == 201 else {
                                throw BenchError("booking \(k) answered \(answer.status): \(String(decoding: answer.body.prefix(200), as: UTF8.self))")
                            }
                            seconds.append(took)
                        }
                        return seconds
                    }
                }
                return try await group.reduce(into: [Double]()) { $0 += $1 }
            }
        }
        Report.figure("\(label): bookings/s (\(clients) clients)", Measure.count(Double(bookings) / elapsed))
        Report.figure("  latency p50 / p99",
                      "\(Measure.ms(Measure.median(latencies))) / \(Measure.ms(Measure.percentile(latencies, 99)))")
        return Double(bookings) / elapsed
    }
}
