import Foundation
import HMSSyncCore
import HMSWebSupport
import Hummingbird

/// Admin control: doctors, the no-show job, penalties, metrics and the audit trail
/// (CONTRACT.md §2, §5). Every route is admin only.
struct AdminController {
    let services: AppServices

    struct DoctorBody: Decodable { let name: String; let email: String; let password: String; let specialty: String }

    func addRoutes(to routes: inout RouteTable) {
        routes.add(.post, "/v1/admin/doctors", createDoctor)
        routes.add(.post, "/v1/admin/doctors/{id}/blacklist") { try await setBlacklisted($0, $1, true) }
        routes.add(.post, "/v1/admin/doctors/{id}/unblacklist") { try await setBlacklisted($0, $1, false) }
        routes.add(.post, "/v1/admin/jobs/no-show", runNoShowSweep)
        routes.add(.get, "/v1/admin/metrics", metrics)
        routes.add(.get, "/v1/admin/penalties", penalties)
        routes.add(.get, "/v1/admin/audit", audit)
    }

    @Sendable func createDoctor(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.require(.admin)
        let body = try await request.decodeJSON(as: DoctorBody.self, context: context)
        let account = try AccountRule.validate(name: body.name, email: body.email, password: body.password)
        let specialty = try FieldRule.requiredText(
            body.specialty.trimmingCharacters(in: .whitespacesAndNewlines), field: "specialty", limit: .specialty)
        try await services.store.checkEmailFree(account.email)
        let record = try await services.store.createUser(
            NewUser(
                id: RandomID.make(), name: account.name, email: account.email, role: .doctor,
                passwordHash: try await services.passwords.hash(body.password), specialty: specialty),
            now: services.clock.now())
        context.audit.record(entityId: record.id, patientId: nil)
        return try .json(record.doctor, status: .created)
    }

    func setBlacklisted(_ request: Request, _ context: AppRequestContext, _ blacklisted: Bool) async throws -> Response {
        _ = try context.require(.admin)
        let id = try request.pathId("id", context: context, what: "doctor")
        let record = try await services.store.setBlacklisted(doctorId: id, blacklisted, now: services.clock.now())
        return try .json(record.doctor)
    }

    @Sendable func runNoShowSweep(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.require(.admin)
        return try .json(try await services.sweep.run())
    }

    @Sendable func metrics(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.require(.admin)
        let metrics = try await services.store.noShowMetrics()
        context.audit.recordRead(patients: metrics.penaltiesByPatient.map(\.patientId))
        return try .json(metrics)
    }

    @Sendable func penalties(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.require(.admin)
        let list = try ListQuery(request)
        let patientId = try request.query("patientId").map { id throws(DomainError) in try FieldRule.id(id, field: "patientId") }
        context.audit.record(entityId: nil, patientId: patientId)
        let rows = try await services.store.penalties(patientId: patientId, after: list.cursor, limit: list.fetchLimit)
        context.audit.recordRead(patients: rows.prefix(list.limit).map(\.patientId))
        return try .json(list.page(rows) { (.int($0.createdAt.epochSeconds), $0.id) })
    }

    @Sendable func audit(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.require(.admin)
        let list = try ListQuery(request)
        var filter = AuditFilter()
        filter.from = try request.query("from").map { text throws(DomainError) in try services.calendar.instant(text, field: "from") }
        filter.to = try request.query("to").map { text throws(DomainError) in try services.calendar.instant(text, field: "to") }
        filter.actorId = try request.query("actorId").map { id throws(DomainError) in try FieldRule.id(id, field: "actorId") }
        filter.patientId = try request.query("patientId").map { id throws(DomainError) in try FieldRule.id(id, field: "patientId") }
        let rows = try await services.store.auditEntries(filter, after: list.cursor, limit: list.fetchLimit)
        let (items, nextCursor) = list.slice(rows) { (.int($0.entry.at.epochSeconds), String($0.seq)) }
        return try .json(Page(items: items.map(\.entry), nextCursor: nextCursor))
    }
}
