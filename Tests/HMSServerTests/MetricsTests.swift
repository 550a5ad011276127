import Foundation
import HMSSyncCore
import HMSTestSupport
import HTTPTypes
import Testing
@testable import HMSServer

@Suite("CONTRACT §1, §5: Prometheus metrics at GET /metrics")
struct MetricsTests {
    @Test("requests are counted by route pattern, method and status; ids and unknown paths never become labels",
          arguments: TestBackend.all)
    func requestCounters(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let fresh = PrometheusText(try await api.get("/metrics").text)
            #expect(fresh.value("hms_up") == 1, "at least one metric from the start")

            for _ in 0..<3 { try await api.get("/v1/clinic") }
            try await api.get("/v1/me")
            let practice = try await api.practice()
            let booked = try await api.bookOK(
                practice.patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(0))
            try await api.get("/v1/appointments/\(booked.id)", token: practice.patient.accessToken)
            let strangePath = "/v1/no-such-\(UUID().uuidString.lowercased())"
            try await api.get(strangePath)

            let reply = try await api.get("/metrics")
            #expect(reply.status == .ok)
            #expect(reply.headers[.contentType]?.hasPrefix("text/plain") == true)
            let metrics = PrometheusText(reply.text)
            #expect(metrics.value("hms_http_requests_total", ["route": "/v1/clinic", "method": "GET", "status": "200"]) == 3)
            #expect(metrics.value("hms_http_requests_total", ["route": "/v1/me", "method": "GET", "status": "401"]) == 1)
            #expect(metrics.value("hms_http_requests_total", ["route": "/v1/appointments", "method": "POST", "status": "201"]) == 1)
            let readCount = metrics.samples.filter {
                $0.name == "hms_http_requests_total" && $0.labels["method"] == "GET" && $0.labels["status"] == "200"
                    && $0.labels["route"]?.hasPrefix("/v1/appointments/") == true
            }
            #expect(readCount.count == 1 && readCount.first?.value == 1, "one series for the route pattern")
            #expect(!reply.text.contains(booked.id), "no appointment id in a label")
            #expect(!reply.text.contains(strangePath), "no unknown path in a label")
            #expect((metrics.value("hms_http_requests_total", ["status": "404"]) ?? 0) >= 1)
            #expect((metrics.value("hms_http_request_duration_seconds_count", ["route": "/v1/clinic"]) ?? 0) >= 3)
        }
    }

    @Test("a sweep shows in the sweep, no-show, penalty and mail counters", arguments: TestBackend.all)
    func sweepCounters(backend: TestBackend) async throws {
        let server = try await NoShowTests.server(backend)
        let booking = try await AutomaticSweepTests.oneBooking(server)
        try await server.restarted(at: booking.overdueAt).run { api in
            let admin = try await api.adminToken()
            #expect(try await api.sweepOK(admin) == SweepCounts(1, 1, 1))
            #expect(try await api.sweepOK(admin) == SweepCounts(0, 0, 0))
            let metrics = PrometheusText(try await api.get("/metrics").text)
            #expect(metrics.value("hms_noshow_sweeps_total") == 2)
            #expect(metrics.value("hms_noshow_marked_total") == 1)
            #expect(metrics.value("hms_penalties_created_total") == 1)
            #expect(metrics.value("hms_mail_queued_total") == 1)
        }
    }

    @Test("rate-limited requests are counted with status 429", arguments: TestBackend.all)
    func rateLimitedCounted(backend: TestBackend) async throws {
        try await TestServer(backend) { $0.rateLimit = 2 }.run { api in
            for _ in 0..<4 { try await api.get("/v1/clinic") }
            let metrics = PrometheusText(try await api.get("/metrics").text)
            #expect(metrics.value("hms_http_requests_total", ["route": "/v1/clinic", "status": "429"]) == 2)
        }
    }
}
