import Foundation
import HMSSyncCore
import HMSWebSupport
import Hummingbird
import Prometheus

/// The token-less endpoints: liveness, readiness, Prometheus metrics and the clinic's identity.
struct ServiceController {
    let services: AppServices
    let metrics: PrometheusCollectorRegistry

    func addRoutes(to routes: inout RouteTable) {
        routes.add(.get, "/healthz") { _, _ in try .json(["status": "ok"]) }
        routes.add(.get, "/readyz", ready)
        routes.add(.get, "/metrics", prometheus)
        routes.add(.get, "/v1/clinic") { _, _ in
            try .json(Clinic(name: services.config.clinicName, timeZone: services.config.clinicTimeZone))
        }
    }

    @Sendable func ready(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard await services.store.isReachable() else {
            throw DomainError(.unavailable, "the database cannot be reached")
        }
        return try .json(["status": "ok"])
    }

    @Sendable func prometheus(_ request: Request, context: AppRequestContext) async throws -> Response {
        var buffer: [UInt8] = []
        metrics.emit(into: &buffer)
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
    }
}
