import Foundation
import HMSSyncCore
import HMSWebSupport
import Hummingbird

/// FHIR answers: resources as `application/fhir+json`, and errors as an `OperationOutcome` with
/// the HTTP status of the matching `/v1` error and the HMS code in `issue[0].details.text`.
enum FHIRAnswer {
    static let contentType = "application/fhir+json; charset=utf-8"

    static func resource(_ value: JSONValue, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try RFC3339.makeEncoder().encode(value)
        var headers = HTTPFields()
        headers[.contentType] = contentType
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func outcome(_ error: DomainError) -> Response {
        let outcome: JSONValue = [
            "resourceType": "OperationOutcome",
            "issue": [[
                "severity": "error", "code": .string(issueType(error.code)), "details": ["text": .string(error.code.rawValue)],
                "diagnostics": .string(error.message),
            ]],
        ]
        return (try? resource(outcome, status: HTTPResponse.Status(code: error.code.httpStatus)))
            ?? Response(status: .internalServerError)
    }

    /// The R4 `IssueType` nearest to an HMS code.
    private static func issueType(_ code: ErrorCode) -> String {
        switch code {
        case .notFound: "not-found"
        case .unauthenticated: "login"
        case .forbidden: "forbidden"
        case .validation, .payloadTooLarge: "invalid"
        case .rateLimited: "throttled"
        case .methodNotAllowed: "not-supported"
        case .unavailable: "transient"
        default: "exception"
        }
    }
}

/// Turns every refusal of the FHIR group into an `OperationOutcome`; the router's
/// `ErrorMiddleware` outside it logs and hides the unexpected ones as it does for `/v1`.
struct FHIRErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            guard let refusal = ErrorMiddleware.domainError(forThrown: error) else { throw error }
            var response = FHIRAnswer.outcome(refusal)
            if let limited = error as? RateLimitedError { response.headers[.retryAfter] = String(limited.retryAfterSeconds) }
            if let notAllowed = error as? MethodNotAllowedError { response.headers[.allow] = notAllowed.allow }
            return response
        }
    }
}
