import HTTPTypes
import Hummingbird
import NIOCore

/// Answers the web console's files below `/app/` (CONTRACT.md §9.7), for `hms-server` and for
/// `hms-sync serve` alike, so both send the same bytes under the same Content-Security-Policy.
/// `/app` redirects to `/app/`, which is `index.html`. The caller's middleware adds `no-store`
/// and `nosniff` (the files are not versioned, so none may be cached for long).
package struct ConsoleResponder: Sendable {
    package let files: ConsoleFiles

    package init(files: ConsoleFiles) {
        self.files = files
    }

    /// Scripts, styles and requests only from this origin; no inline code, no frames, no plugins.
    package static let contentSecurityPolicy = [
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
        "connect-src 'self'", "font-src 'self'", "object-src 'none'", "base-uri 'none'",
        "form-action 'self'", "frame-ancestors 'none'",
    ].joined(separator: "; ")

    /// The file the request names (its `**` catch-all below `/app/`), or `HTTPError(.notFound)`.
    package func respond(to request: Request, context: some RequestContext) throws -> Response {
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
    package static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
