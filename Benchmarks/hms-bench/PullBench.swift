import Foundation
import HMSSyncCore
import HMSTestSupport

/// Raw pulls over HTTP: to the end (the server's side of a first sync), then empty ones.
struct PullBench {
    let api: RESTClient
    let token: String
    let clientId = UUID().uuidString.lowercased()

    private struct Page: Decodable {
        struct Skip: Decodable {}
        let cursor: String
        let hasMore: Bool
        let changes: [Skip]
    }

    private func page(after cursor: String?, limit: Int) async throws -> Page {
        var path = "/v1/sync/pull?clientId=\(clientId)&schemaVersion=\(SyncProtocol.schemaVersion)&limit=\(limit)"
        if let cursor { path += "&cursor=\(cursor)" }
        let answer = try await api.send("GET", path, token: token)
        guard answer.status == 200 else { throw BenchError("pull answered \(answer.status)") }
        return try JSONDecoder().decode(Page.self, from: answer.body)
    }

    /// Pulls every page; answers the end cursor, the rows and the seconds it took.
    func pullToEnd(limit: Int) async throws -> (cursor: String, rows: Int, seconds: Double) {
        var cursor: String?
        var rows = 0
        let (seconds, _) = try await Measure.time {
            while true {
                let next = try await page(after: cursor, limit: limit)
                rows += next.changes.count
                cursor = next.cursor
                if !next.hasMore { break }
            }
        }
        return (cursor ?? "", rows, seconds)
    }

    /// Seconds of each of `samples` pulls after `cursor` (each must be empty).
    func emptyPulls(after cursor: String, samples: Int) async throws -> [Double] {
        var seconds: [Double] = []
        for _ in 0..<samples {
            let (elapsed, answer) = try await Measure.time { try await page(after: cursor, limit: 1_000) }
            guard answer.changes.isEmpty, !answer.hasMore else { throw BenchError("an empty pull was not empty") }
            seconds.append(elapsed)
        }
        return seconds
    }

    /// Prints the pull-to-end and empty-pull figures for one role at one size.
    static func report(_ api: RESTClient, token: String, role: String, size: String, samples: Int, limit: Int = 5_000) async throws {
        let bench = PullBench(api: api, token: token)
        let full = try await bench.pullToEnd(limit: limit)
        Report.figure("\(role) @ \(size): raw pull to end (limit \(limit))",
                      "\(Measure.count(Double(full.rows))) rows in \(String(format: "%.2f", full.seconds)) s = \(Measure.count(Double(full.rows) / full.seconds)) rows/s")
        let empty = try await bench.emptyPulls(after: full.cursor, samples: samples)
        Report.figure("\(role) @ \(size): empty pull (median / p95 of \(samples))",
                      "\(Measure.ms(Measure.median(empty))) / \(Measure.ms(Measure.percentile(empty, 95)))")
    }
}
