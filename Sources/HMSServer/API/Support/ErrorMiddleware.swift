import Foundation
import HMSSyncCore
import HMSWebSupport
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
        ErrorResponse.response(for: error)
    }

    /// A thrown error in the contract's terms: the shared ones (`ErrorResponse`), and this
    /// server's own refusals; nil for anything unexpected.
    static func domainError(forThrown error: any Error) -> DomainError? {
        if let known = ErrorResponse.domainError(forThrown: error) { return known }
        switch error {
        case let error as MethodNotAllowedError: return error.domainError
        case is RateLimitedError: return DomainError(.rateLimited, "too many requests; retry later")
        case is StoreUnavailable: return DomainError(.unavailable, "the database cannot be reached; retry later")
        default: return nil
        }
    }

    /// Hummingbird's own refusals, in the contract's codes.
    static func domainError(for error: HTTPError) -> DomainError {
        ErrorResponse.domainError(for: error)
    }
}
