import Foundation
import HMSSyncCore
import HTTPTypes
import Hummingbird
import Logging

/// Gives every request an id (the client's own when it is 1–64 of `[A-Za-z0-9._-]`) and
/// echoes it in `X-Request-Id`; the id rides in every log line of the request.
struct RequestIdMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let header = HTTPField.Name("X-Request-Id")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var context = context
        let given = request.headers[Self.header]
        context.requestId = given.flatMap { Self.isValid($0) ? $0 : nil } ?? RandomID.make()
        context.logger[metadataKey: "request_id"] = .string(context.requestId)
        var response = try await next(request, context)
        response.headers[Self.header] = context.requestId
        return response
    }

    static func isValid(_ id: String) -> Bool {
        (1...64).contains(id.utf8.count)
            && id.utf8.allSatisfy { byte in
                (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
                    || byte == 46 || byte == 95 || byte == 45
            }
    }
}
