import Foundation
import HMSSyncCore
import HMSTestSupport

/// (5) REST booking throughput: concurrent clients each booking free slots through
/// `POST /v1/appointments` as the admin, spread round-robin over one or two servers on one
/// database, or against the Flask peer. Every booking must answer 201.
enum ScaleOutBench {
    static let clients = 32

    static func run(label: String, servers: [ServerProcess], bookings: Int, floors: Bool = false) async throws -> Double {
        for server in servers { try await server.start() }
        let pids = servers.compactMap(\.pid)
        let rate = try await measure(label: label, urls: servers.map(\.url), bookings: bookings, serverPids: pids)
        if floors { try await measureFloors(url: servers[0].url, requests: bookings, serverPids: pids) }
        for server in servers { await server.stop() }
        return rate
    }

    /// The same workload against any service at `urls` that answers HMS's paths for it (the
    /// Flask peer does); answers the bookings per second.
    static func measure(label: String, urls: [String], bookings: Int, serverPids: [Int32] = []) async throws -> Double {
        let api = RESTClient(base: urls[0], timeout: 600)
        let admin = try await ClinicBuilder(rest: api).login(TestAccounts.adminEmail, TestAccounts.adminPassword).accessToken
        let clinic = try await BenchClinic.make(api, admin: admin, doctors: 20, patients: 50, prefix: "scale")
        Report.note("\(label): \(bookings) bookings by \(clients) clients")
        let (elapsed, latencies, cpu) = try await drive(urls: urls, count: bookings, serverPids: serverPids) { api, k in
            let (doctorId, patientId, start) = clinic.booking(k)
            let body = try RFC3339.makeEncoder().encode(["doctorId": doctorId, "patientId": patientId, "start": RFC3339.format(start)])
            let answer = try await api.send("POST", "/v1/appointments", token: admin, body: body)
            guard answer.status == 201 else {
                throw BenchError("booking \(k) answered \(answer.status): \(String(decoding: answer.body.prefix(200), as: UTF8.self))")
            }
        }
        Report.figure("\(label): bookings/s (\(clients) clients)", Measure.count(Double(bookings) / elapsed))
        Report.figure("  latency p50 / p99",
                      "\(Measure.ms(Measure.median(latencies))) / \(Measure.ms(Measure.percentile(latencies, 99)))")
        Report.figure("  CPU per booking: server / load generator", cpu)
        return Double(bookings) / elapsed
    }

    /// What bounds any request on this machine with this load generator: the same clients asking
    /// for the cheapest answers, `GET /healthz` (no middleware) and `GET /v1/me` (the `/v1` group's
    /// token check, rate limit and audit, no write).
    static func measureFloors(url: String, requests: Int, serverPids: [Int32]) async throws {
        let admin = try await ClinicBuilder(rest: RESTClient(base: url, timeout: 60))
            .login(TestAccounts.adminEmail, TestAccounts.adminPassword).accessToken
        for (path, token) in [("/healthz", nil), ("/v1/me", admin)] {
            let (elapsed, _, cpu) = try await drive(urls: [url], count: requests, serverPids: serverPids) { api, k in
                let answer = try await api.send("GET", path, token: token)
                guard answer.status == 200 else { throw BenchError("GET \(path) \(k) answered \(answer.status)") }
            }
            Report.figure("  floor: GET \(path), same clients", "\(Measure.count(Double(requests) / elapsed)) req/s")
            Report.figure("    CPU per request: server / load generator", cpu)
        }
    }

    /// `count` requests made by `clients` concurrent clients spread over `urls`, request `k` by
    /// `request`; answers the elapsed seconds and each request's latency, and reports the CPU each
    /// request cost the servers (`serverPids`) and this load generator.
    private static func drive(
        urls: [String], count: Int, serverPids: [Int32], _ request: @escaping @Sendable (RESTClient, Int) async throws -> Void
    ) async throws -> (Double, [Double], cpu: String) {
        func cpu() -> (server: Double, generator: Double) {
            (serverPids.compactMap(Measure.cpuSeconds).reduce(0, +), Measure.cpuSeconds(pid: getpid()) ?? 0)
        }
        let before = cpu()
        let (elapsed, latencies) = try await Measure.time {
            try await withThrowingTaskGroup(of: [Double].self) { group in
                for client in 0..<clients {
                    group.addTask {
                        let api = RESTClient(base: urls[client % urls.count], timeout: 60)
                        var seconds: [Double] = []
                        for k in stride(from: client, to: count, by: clients) {
                            let (took, _) = try await Measure.time { try await request(api, k) }
                            seconds.append(took)
                        }
                        return seconds
                    }
                }
                return try await group.reduce(into: [Double]()) { $0 += $1 }
            }
        }
        let after = cpu()
        let cpuText = (serverPids.isEmpty ? "—" : String(format: "%.0f µs", (after.server - before.server) / Double(count) * 1e6))
            + String(format: " / %.0f µs", (after.generator - before.generator) / Double(count) * 1e6)
        return (elapsed, latencies, cpuText)
    }
}
