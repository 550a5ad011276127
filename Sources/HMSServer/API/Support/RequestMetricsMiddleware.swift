import Hummingbird
import Metrics

/// Counts requests and times them by route, method and status.
struct RequestMetricsMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let telemetry: Telemetry

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        let dimensions = [
            ("route", context.endpointPath ?? "unmatched"), ("method", request.method.rawValue),
            ("status", String(response.status.code)),
        ]
        telemetry.counter("hms_http_requests_total", dimensions).increment()
        telemetry.timer("hms_http_request_duration_seconds", dimensions).recordNanoseconds(Self.nanoseconds(ContinuousClock.now - started))
        return response
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }
}
