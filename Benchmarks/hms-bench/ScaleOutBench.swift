import Foundation
import HMSSyncCore

/// (5) REST booking throughput: concurrent clients each booking free slots through
/// `POST /v1/appointments` as the admin, spread round-robin over one or two servers on one
/// database. Every booking must answer 201.
enum ScaleOutBench {
    static let clients = 32

    static func run(label: String, servers: [BenchServer], bookings: Int) async throws {
        defer { for server in servers { server.stop() } }
        for server in servers { try await server.start() }
        let first = API(base: servers[0].url)
        let admin = try await first.login(BenchServer.adminEmail, BenchServer.adminPassword)
        let clinic = try await BenchClinic.make(first, admin: admin, doctors: 20, patients: 50, prefix: "scale")
        let urls = servers.map(\.url)
        Report.note("\(label): \(bookings) bookings by \(clients) clients")
        let (elapsed, latencies) = try await Measure.time {
            try await withThrowingTaskGroup(of: [Double].self) { group in
                for client in 0..<clients {
                    group.addTask {
                        let api = API(base: urls[client % urls.count])
                        var seconds: [Double] = []
                        for k in stride(from: client, to: bookings, by: clients) {
                            let (doctorId, patientId, start) = clinic.booking(k)
                            let body = try RFC3339.makeEncoder().encode(
                                ["doctorId": doctorId, "patientId": patientId, "start": RFC3339.format(start)])
                            let (took, answer) = try await Measure.time {
                                try await api.send("POST", "/v1/appointments", body: body, token: admin)
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
    }
}
