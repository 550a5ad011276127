import Foundation
import HMSSyncCore
import HMSWebSupport
import Hummingbird

/// What belongs to the caller beyond their account: a patient's own penalties (CONTRACT.md §9.1).
struct MeController {
    let services: AppServices

    func addRoutes(to routes: inout RouteTable) {
        routes.add(.get, "/v1/me/penalties", penalties)
    }

    /// `GET /v1/me/penalties` (patient): newest first, paged, in §5's penalty shape.
    @Sendable func penalties(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.require(.patient)
        let list = try ListQuery(request)
        context.audit.recordRead(patients: [actor.userId])
        let rows = try await services.store.penalties(patientId: actor.userId, after: list.cursor, limit: list.fetchLimit)
        return try .json(list.page(rows) { (.int($0.createdAt.epochSeconds), $0.id) })
    }
}
