import Foundation
import HMSSyncCore
import Hummingbird
import Logging

/// Writes the audit trail: every write, every read of patient records, and every refused
/// request (except rate-limit refusals, which are counted in metrics: writing a row per flooded
/// request would turn the audit log into the flood's target).
struct AuditMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let store: Store
    let clock: AppClock

    /// Reads that show patient records.
    static let patientRecordReads = ["/v1/appointments", "/v1/sync/pull", "/v1/admin/penalties"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let path = request.uri.path
        let isWrite = request.method != .get && request.method != .head
        let isRecordRead = Self.patientRecordReads.contains { path.hasPrefix($0) }
        do {
            let response = try await next(request, context)
            if isWrite || isRecordRead || response.status.code >= 400 {
                await record(request, context, outcome: response.status.code >= 400 ? String(response.status.code) : "success")
            }
            return response
        } catch {
            let code = ErrorMiddleware.domainError(forThrown: error)?.code ?? .internal
            await record(request, context, outcome: code.rawValue)
            throw error
        }
    }

    private func record(_ request: Request, _ context: Context, outcome: String) async {
        let route = context.endpointPath ?? request.uri.path
        let entry = AuditEntry(
            id: UUID().uuidString.lowercased(), at: clock.now(), actorId: context.identity?.actor.userId,
            actorRole: context.identity?.actor.role.rawValue, action: "\(request.method.rawValue) \(route)",
            entity: Self.entity(of: request.uri.path), entityId: context.audit.entityId ?? context.parameters.get("id"),
            patientId: context.audit.patientId, outcome: outcome, requestId: context.requestId, clientIp: context.clientIP)
        do {
            try await store.append(entry)
        } catch {
            context.logger.error("audit row not written", metadata: ["error": "\(type(of: error))"])
        }
    }

    /// The kind of thing a path is about.
    static func entity(of path: String) -> String {
        let parts = path.split(separator: "/").map(String.init)
        guard parts.count >= 2, parts[0] == "v1" else { return "service" }
        switch parts[1] {
        case "auth": return parts.count > 2 && parts[2] == "register" ? "user" : "session"
        case "me": return "user"
        case "clinic": return "clinic"
        case "appointments": return "appointment"
        case "sync": return "sync"
        case "doctors":
            if parts.contains("availability") { return "availability" }
            if parts.contains("slots") { return "slot" }
            return "doctor"
        case "admin":
            switch parts.count > 2 ? parts[2] : "" {
            case "doctors": return "doctor"
            case "jobs": return "job"
            case "penalties": return "penalty"
            case "audit": return "audit"
            case "metrics": return "metrics"
            default: return "admin"
            }
        default: return "unknown"
        }
    }
}
