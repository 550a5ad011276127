import Hummingbird

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
        telemetry.count("hms_http_requests_total", dimensions)
        telemetry.time("hms_http_request_duration_seconds", dimensions, ContinuousClock.now - started)
        return response
    }
}
