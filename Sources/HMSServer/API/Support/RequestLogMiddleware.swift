import Hummingbird
import Logging

/// Logs each answered request by method, matched route, status and request id. Never the raw
/// URI: query strings carry search terms (names, emails) and, under `hms-sync serve`, secrets.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let response = try await next(request, context)
        context.logger.info("request", metadata: [
            "method": .string(request.method.rawValue),
            "route": .string(context.endpointPath ?? AuditMiddleware.unmatchedRoute),
            "status": .stringConvertible(response.status.code),
        ])
        return response
    }
}
