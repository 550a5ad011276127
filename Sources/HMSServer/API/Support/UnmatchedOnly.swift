import Hummingbird

/// Runs `middleware` only for requests no route matched (unknown paths, odd methods), so they
/// are limited and audited like the `/v1` group's own, while matched requests get those
/// middlewares once, inside their group.
struct UnmatchedOnly<Middleware: RouterMiddleware>: RouterMiddleware where Middleware.Context == AppRequestContext {
    typealias Context = AppRequestContext
    let middleware: Middleware

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard context.endpointPath == nil else { return try await next(request, context) }
        return try await middleware.handle(request, context: context, next: next)
    }
}
