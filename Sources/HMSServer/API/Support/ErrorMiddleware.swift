import Foundation
import HMSSyncCore
import Hummingbird
import PostgresNIO
import Logging
import NIOCore

/// The one place errors become the contract's `{error, code, details?}`. Unexpected errors are
/// logged with the request id and answered as `INTERNAL`, never with their text.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            if let notAllowed = error as? MethodNotAllowedError {
                var response = Self.response(for: notAllowed.domainError)
                response.headers[.allow] = notAllowed.allow
                return response
            }
            if let limited = error as? RateLimitedError {
                var response = Self.response(for: DomainError(.rateLimited, "too many requests; retry later"))
                response.headers[.retryAfter] = String(limited.retryAfterSeconds)
                return response
            }
            if let domainError = Self.domainError(forThrown: error) {
                return Self.response(for: domainError)
            }
            var metadata: Logger.Metadata = ["error": "\(String(reflecting: type(of: error)))"]
            // The SQLSTATE says what failed without the statement's values (which may hold PHI).
            if let state = (error as? PSQLError)?.sqlState { metadata["sqlstate"] = "\(state)" }
            context.logger.error("unexpected error", metadata: metadata)
            return Self.response(for: DomainError(.internal, "something went wrong on the server"))
        }
    }

    static func response(for error: DomainError) -> Response {
        let body = (try? RFC3339.makeEncoder().encode(ErrorBody(error))) ?? Data()
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(
            status: HTTPResponse.Status(code: error.code.httpStatus), headers: headers,
            body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// A thrown error in the contract's terms: ours, Hummingbird's refusals and an oversized
    /// body; nil for anything unexpected.
    static func domainError(forThrown error: any Error) -> DomainError? {
        switch error {
        case let error as DomainError: error
        case let error as HTTPError: domainError(for: error)
        case is NIOTooManyBytesError: DomainError(.payloadTooLarge, "the request body is larger than 1 MiB")
        case let error as MethodNotAllowedError: error.domainError
        case is RateLimitedError: DomainError(.rateLimited, "too many requests; retry later")
        case is StoreUnavailable: DomainError(.unavailable, "the database cannot be reached; retry later")
        default: nil
        }
    }

    /// Hummingbird's own refusals, in the contract's codes.
    static func domainError(for error: HTTPError) -> DomainError {
        switch error.status {
        case .contentTooLarge: DomainError(.payloadTooLarge, "the request body is larger than 1 MiB")
        case .notFound: DomainError(.notFound, "no such resource")
        case .methodNotAllowed: DomainError(.methodNotAllowed, "this method is not allowed on this path")
        // Hummingbird's texts may quote what was sent (a path parameter, say): never echoed.
        case .badRequest: DomainError(.validation, "the request is malformed")
        case .unauthorized: DomainError(.unauthenticated, "authentication is required")
        default: DomainError(.internal, "something went wrong on the server")
        }
    }
}
