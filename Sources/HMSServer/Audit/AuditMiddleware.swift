import Foundation
import HMSSyncCore
import Hummingbird
import Logging

/// Writes the audit trail of the `/v1` group, keyed by the matched route: every write (its row
/// commits inside the write's own transaction, see `AuditTrail`), every read of patient records
/// and of the admin's views of everyone (one row per patient whose rows it returned; a read whose
/// row can't be written is not served), and every refused request. Rate-limit refusals (the
/// per-address limits, the per-account login throttle, the password-hashing bound) are left
/// out: they are counted in metrics, and a row per flooded request would make the audit log the
/// flood's target.
struct AuditMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let store: any ServerStore
    let clock: AppClock

    /// Routes whose successful reads are audited.
    static let auditedReads: Set<String> = [
        "/v1/appointments", "/v1/appointments/{id}", "/v1/sync/pull", "/v1/me/penalties",
        "/v1/admin/penalties", "/v1/admin/metrics", "/v1/admin/audit", "/v1/admin/users",
        "/fhir/R4/Appointment", "/fhir/R4/Appointment/{id}", "/fhir/R4/Patient/{id}",
    ]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let route = context.endpointPath ?? Self.unmatchedRoute
        let trail = AuditTrail(
            action: "\(request.method.rawValue) \(route)", entity: Self.entity(of: route),
            pathId: context.parameters.get("id"), caller: context.identity?.actor, requestId: context.requestId,
            clientIp: context.clientIP, note: context.audit, clock: clock)
        let response: Response
        do {
            response = try await AuditTrail.$current.withValue(trail) { try await next(request, context) }
        } catch {
            // a refusal decided inside a committed write already has its row there
            let code = ErrorMiddleware.domainError(forThrown: error)?.code ?? .internal
            if !trail.note.writtenInTransaction && code != .rateLimited {
                await recordRefusal(trail, outcome: code.rawValue, context: context)
            }
            throw error
        }
        if response.status.code >= 400 {
            await recordRefusal(trail, outcome: String(response.status.code), context: context)
            return response
        }
        let isWrite = request.method != .get && request.method != .head
        if isWrite && !trail.note.writtenInTransaction {
            try await recordServed([trail.entry(outcome: "success")], context: context)
        } else if !isWrite && Self.auditedReads.contains(route) {
            let patients = trail.note.patientsRead.sorted()
            let rows = patients.isEmpty
                ? [trail.entry(outcome: "success")]
                : patients.map { trail.entry(outcome: "success", patientId: $0) }
            try await recordServed(rows, context: context)
        }
        return response
    }

    /// The rows of a served request: without them the answer is not given.
    private func recordServed(_ entries: [AuditEntry], context: Context) async throws {
        do {
            try await store.append(entries)
        } catch {
            context.logger.error("audit rows not written; answer withheld", metadata: ["error": "\(type(of: error))"])
            throw DomainError(.unavailable, "the audit trail can't be written right now; try again")
        }
    }

    /// A refusal's row, best effort: the request already failed.
    private func recordRefusal(_ trail: AuditTrail, outcome: String, context: Context) async {
        do {
            try await store.append([trail.entry(outcome: outcome)])
        } catch {
            context.logger.error("audit row not written", metadata: ["error": "\(type(of: error))"])
        }
    }

    /// The route name of a request no route matched; the raw path is never recorded.
    static let unmatchedRoute = "(no route)"

    /// The kind of thing a route is about.
    static func entity(of route: String) -> String {
        let parts = route.split(separator: "/").map(String.init)
        if parts.count >= 3, parts[0] == "fhir" {
            let entities = ["Appointment": "appointment", "Patient": "user", "Practitioner": "doctor",
                            "Schedule": "availability", "Slot": "slot"]
            return entities[parts[2]] ?? "service"
        }
        guard parts.count >= 2, parts[0] == "v1" else { return route == unmatchedRoute ? "unknown" : "service" }
        switch parts[1] {
        case "auth": return parts.count > 2 && parts[2] == "register" ? "user" : "session"
        case "me": return parts.count > 2 && parts[2] == "penalties" ? "penalty" : "user"
        case "clinic": return "clinic"
        case "appointments": return "appointment"
        case "sync": return "sync"
        case "doctors":
            if parts.contains("availability") { return "availability" }
            if parts.contains("schedule") { return "availability" }
            if parts.contains("slots") { return "slot" }
            return "doctor"
        case "admin":
            switch parts.count > 2 ? parts[2] : "" {
            case "doctors": return "doctor"
            case "users": return "user"
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
