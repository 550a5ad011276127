import HMSWebSupport
import Hummingbird

/// Serves the web console (CONTRACT.md §9.7) at `/app/`, outside `/v1`: static files, no token.
/// `ConsoleResponder` (shared with `hms-sync serve`) reads the files and sets their headers.
struct ConsoleController {
    let responder: ConsoleResponder

    init(files: ConsoleFiles) {
        responder = ConsoleResponder(files: files)
    }

    func addRoutes(to routes: inout RouteTable) {
        routes.add(.get, "/app", serve)
        routes.add(.get, "/app/**", serve)
    }

    @Sendable func serve(_ request: Request, context: AppRequestContext) async throws -> Response {
        try responder.respond(to: request, context: context)
    }
}
