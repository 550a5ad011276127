import HTTPTypes
import Hummingbird

/// `Cache-Control: no-store` and `X-Content-Type-Options: nosniff` on every answer, errors
/// included (CONTRACT.md §9.1): API answers carry PHI and tokens, and no proxy or browser may
/// keep them. Sits outside the error middleware so refusals get the headers too. Shared by
/// `hms-server` and `hms-sync serve`, whose answers carry the same data.
package struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    package init() {}

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response = try await next(request, context)
        response.headers[.cacheControl] = "no-store"
        response.headers[.xContentTypeOptions] = "nosniff"
        return response
    }
}

extension HTTPField.Name {
    package static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
}
