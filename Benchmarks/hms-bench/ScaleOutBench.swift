import Foundation
import HMSSyncCore
import HMSTestSupport

/// (5) REST booking throughput: concurrent clients each booking free slots through
/// `POST /v1/appointments` as the admin, spread round-robin over one or two servers on one
/// database. Every booking must answer 201.
enum ScaleOutBench {
    static let clients = 32

    static func run(label: String, servers: [ServerProcess], bookings: Int) async throws {
        for server in servers { try await server.start() }
        let admin = try await servers[0].login(TestAccounts.adminEmail)
        let clinic = try await BenchClinic.make(servers[0].api, admin: admin, doctors: 20, patients: 50, prefix: "scale")
        let urls = servers.map(\.url)
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
        for server in servers { await server.stop() }
        Report.figure("  latency p50 / p99",
                      "\(Measure.ms(Measure.median(latencies))) / \(Measure.ms(Measure.percentile(latencies, 99)))")
    }
}
