import Foundation
import HMSSyncCore
import Hummingbird
import NIOCore

/// Per-request state: the request id, the caller's address, and who the token says they are.
struct AppRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    var requestId: String = ""
    let clientIP: String
    /// The client's address as rate limits key it (an IPv6 client by its /64).
    let rateLimitKey: String
    /// Set by `AuthMiddleware` when a valid token came with the request.
    var identity: Identity?
    /// Why a token that came with the request was refused; answered by `require` on protected routes.
    var authFailure: DomainError?
    /// What the handler reports for the audit trail.
    let audit = AuditNote()

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientIP = source.channel.remoteAddress?.ipAddress ?? "local"
        rateLimitKey = ClientAddress.rateLimitKey(source.channel.remoteAddress)
    }

    /// Bodies over 1 MiB are refused with `413 PAYLOAD_TOO_LARGE` (CONTRACT.md §1).
    var maxUploadSize: Int { 1 << 20 }

    var requestDecoder: JSONDecoder { RFC3339.makeDecoder() }
    var responseEncoder: JSONEncoder { RFC3339.makeEncoder() }
}
