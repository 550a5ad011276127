import HMSSyncCore
import HMSWebSupport
import Hummingbird
import Logging

/// Turns what a handler throws into the contract's error body (CONTRACT.md §1), as the central
/// server does: a local refusal keeps the server's code, status and details (alternatives, say).
/// The CLI's own conditions keep the CLI's codes (CONTRACT.md §8). Unexpected errors are logged
/// by type only (their text could hold patient data) and answered as `INTERNAL`.
struct LocalErrorMiddleware: RouterMiddleware {
    typealias Context = LocalRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as ReplicaError {
            return Self.response(for: error)
        } catch {
            if let known = ErrorResponse.domainError(forThrown: error) { return ErrorResponse.response(for: known) }
            context.logger.error("unexpected error", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            return ErrorResponse.response(for: DomainError(.internal, "something went wrong in hms-sync serve"))
        }
    }

    /// A replica's refusal as the server would answer it; the CLI's conditions with its codes:
    /// `UNREACHABLE` is 503 (try again later), `LOGIN_NEEDED` and `PENDING_INTENTS` are 409 (the
    /// laptop must be signed in again with `hms-sync login`; a 401 would mean the browser's
    /// cookie is wrong).
    static func response(for error: ReplicaError) -> Response {
        switch error {
        case .refused(let refusal): ErrorResponse.response(for: refusal)
        case .unreachable: ErrorResponse.response(ErrorBody(error: error.description, code: error.code), status: 503)
        case .loginNeeded, .pendingIntents: ErrorResponse.response(ErrorBody(error: error.description, code: error.code), status: 409)
        }
    }
}
