import HTTPTypes
import Hummingbird

/// `Cache-Control: no-store` and `X-Content-Type-Options: nosniff` on every answer, errors
/// included (CONTRACT.md §9.1): API answers carry PHI and tokens, and no proxy or browser may
/// keep them. Sits outside `ErrorMiddleware` so refusals get the headers too.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response = try await next(request, context)
        response.headers[.cacheControl] = "no-store"
        response.headers[.xContentTypeOptions] = "nosniff"
        return response
    }
}

extension HTTPField.Name {
    static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
}
