import HTTPTypes
import Hummingbird
import NIOCore

/// Serves the web console (CONTRACT.md §9.7) at `/app/`, outside `/v1`: static files, no token.
/// `/app` redirects to `/app/`, which is `index.html`. Every file carries the console's
/// Content-Security-Policy; `SecurityHeadersMiddleware` adds `no-store` and `nosniff` (the files
/// are not versioned, so none may be cached for long).
struct ConsoleController {
    let files: ConsoleFiles

    /// Scripts, styles and requests only from this origin; no inline code, no frames, no plugins.
    static let contentSecurityPolicy = [
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
        "connect-src 'self'", "font-src 'self'", "object-src 'none'", "base-uri 'none'",
        "form-action 'self'", "frame-ancestors 'none'",
    ].joined(separator: "; ")

    func addRoutes(to routes: inout RouteTable) {
        routes.add(.get, "/app", serve)
        routes.add(.get, "/app/**", serve)
    }

    @Sendable func serve(_ request: Request, context: AppRequestContext) async throws -> Response {
        let components = context.parameters.getCatchAll()
        if components.isEmpty && !request.uri.path.hasSuffix("/") {
            // Relative links in index.html resolve against /app/, so the bare path moves there.
            return Response(status: .movedPermanently, headers: [.location: "/app/"])
        }
        guard let file = files.file(at: components.isEmpty ? ["index.html"] : components) else {
            throw HTTPError(.notFound)
        }
        var headers: HTTPFields = [
            .contentType: file.contentType,
            .contentSecurityPolicy: Self.contentSecurityPolicy,
            .referrerPolicy: "no-referrer",
        ]
        headers[.contentLength] = String(file.bytes.count)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
    }
}

extension HTTPField.Name {
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
