import HMSSyncCore
import HMSWebSupport
import Hummingbird

/// Refuses a request whose `Host` is not `127.0.0.1:PORT` or `localhost:PORT` with
/// `421 Misdirected Request` (CONTRACT.md §9.7). Binding to loopback keeps other machines out;
/// this keeps out web pages of other origins that rebind their DNS name to 127.0.0.1, since
/// their requests carry their own name as `Host`.
struct LoopbackHostMiddleware: RouterMiddleware {
    typealias Context = LocalRequestContext

    /// The `Host` values this server answers.
    let accepted: Set<String>

    init(port: Int) {
        accepted = ["127.0.0.1:\(port)", "localhost:\(port)"]
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let host = request.head.authority, accepted.contains(host.lowercased()) else {
            return ErrorResponse.response(
                ErrorBody(error: "this server answers only to 127.0.0.1 and localhost", code: "MISDIRECTED"), status: 421)
        }
        return try await next(request, context)
    }
}
