import Foundation
import HMSSyncCore
import Hummingbird
import NIOCore

/// Errors as the contract's `{error, code, details?}` (CONTRACT.md §1), for `hms-server` and
/// `hms-sync serve` alike.
package enum ErrorResponse {
    /// The answer for a refusal, with the code's status.
    package static func response(for error: DomainError) -> Response {
        response(ErrorBody(error), status: error.code.httpStatus)
    }

    /// The answer for an error body with a code of the caller's own (`hms-sync`'s `UNREACHABLE`, say).
    package static func response(_ body: ErrorBody, status: Int) -> Response {
        let data = (try? RFC3339.makeEncoder().encode(body)) ?? Data()
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(
            status: HTTPResponse.Status(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Hummingbird's own refusals, in the contract's codes. Its texts may quote what was sent (a
    /// path parameter, say): never echoed.
    package static func domainError(for error: HTTPError) -> DomainError {
        switch error.status {
        case .contentTooLarge: DomainError(.payloadTooLarge, "the request body is larger than 1 MiB")
        case .notFound: DomainError(.notFound, "no such resource")
        case .methodNotAllowed: DomainError(.methodNotAllowed, "this method is not allowed on this path")
        case .badRequest: DomainError(.validation, "the request is malformed")
        case .unauthorized: DomainError(.unauthenticated, "authentication is required")
        default: DomainError(.internal, "something went wrong on the server")
        }
    }

    /// A thrown error that both servers know, in the contract's terms: ours, Hummingbird's
    /// refusals and an oversized body; nil for anything else.
    package static func domainError(forThrown error: any Error) -> DomainError? {
        switch error {
        case let error as DomainError: error
        case let error as HTTPError: domainError(for: error)
        case is NIOTooManyBytesError: DomainError(.payloadTooLarge, "the request body is larger than 1 MiB")
        default: nil
        }
    }
}
