import HMSSyncCore
import HMSWebSupport
import Hummingbird

/// Admits a request that carries the serve secret (CONTRACT.md §9.7): in its cookie, or as
/// `?token=` on a first visit, which sets the cookie (HttpOnly, so no script can read it;
/// SameSite=Strict, so no other site's page can send it; no `Secure`, since loopback is plain
/// HTTP). A first visit to a console page is redirected to the same page without the token, so
/// the secret leaves the address bar and the history. Anything else is `401 UNAUTHENTICATED`.
struct SecretGateMiddleware: RouterMiddleware {
    typealias Context = LocalRequestContext

    let secret: ServeSecret
    /// Named after the port: cookies are kept per host, not per port, and two laptops' worth of
    /// `serve` on one machine must not overwrite each other's.
    let cookieName: String

    init(secret: ServeSecret, port: Int) {
        self.secret = secret
        cookieName = "hms_serve_\(port)"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        if let cookie = request.cookies[cookieName], secret.matches(Substring(cookie.value)) {
            return try await next(request, context)
        }
        guard let token = request.uri.queryParameters["token"], secret.matches(token) else {
            return ErrorResponse.response(
                for: DomainError(.unauthenticated, "open the address `hms-sync serve` printed, with its token"))
        }
        var response: Response
        if request.method == .get && request.uri.path.hasPrefix("/app") {
            response = Response(status: .seeOther, headers: [.location: request.uri.path])
        } else {
            response = try await next(request, context)
        }
        response.setCookie(Cookie(name: cookieName, value: secret.text, path: "/", secure: false, httpOnly: true, sameSite: .strict))
        return response
    }
}
