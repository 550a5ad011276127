import Foundation
import HMSSyncCore
import HMSWebSupport
import Hummingbird

/// The admin's view of every account: list, disable and enable (CONTRACT.md §9.1).
struct UsersController {
    let services: AppServices

    func addRoutes(to routes: inout RouteTable) {
        routes.add(.get, "/v1/admin/users", list)
        routes.add(.post, "/v1/admin/users/{id}/disable") { try await setDisabled($0, $1, true) }
        routes.add(.post, "/v1/admin/users/{id}/enable") { try await setDisabled($0, $1, false) }
    }

    /// `GET /v1/admin/users?role=&q=`: `{id, name, email, role, disabled}` by name, paged.
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.require(.admin)
        let list = try ListQuery(request)
        let role = try request.query("role").map { text throws(DomainError) in
            guard let role = Role(rawValue: text.lowercased()) else {
                throw DomainError.validation(field: "role", "role must be admin, doctor or patient")
            }
            return role
        }
        // the search text follows the text rules of what it searches (names and emails): scalars
        // and bytes counted, control and format characters refused, NFC
        let query = try request.query("q").map { text throws(DomainError) in
            try FieldRule.text(text, field: "q", limit: .email)
        }
        let rows = try await services.store.accounts(
            role: role, matching: query, after: list.cursor, limit: list.fetchLimit)
        context.audit.recordRead(patients: rows.prefix(list.limit).filter { $0.role == .patient }.map(\.id))
        return try .json(list.page(rows) { (.text($0.name), $0.id) })
    }

    /// Idempotent; an admin can't disable themself (`FORBIDDEN`), so some admin always remains.
    func setDisabled(_ request: Request, _ context: AppRequestContext, _ disabled: Bool) async throws -> Response {
        let actor = try context.require(.admin)
        let id = try request.pathId("id", context: context, what: "user")
        if disabled && id == actor.userId {
            throw DomainError(.forbidden, "an admin can't disable their own account")
        }
        let record = try await services.store.setDisabled(userId: id, disabled, now: services.clock.now())
        context.audit.record(entityId: record.id, patientId: record.role == .patient ? record.id : nil)
        return try .json(record.summary)
    }
}
