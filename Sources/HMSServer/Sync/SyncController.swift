import Foundation
import HMSSyncCore
import HMSWebSupport
import Hummingbird

/// `POST /v1/sync/push` and `GET /v1/sync/pull` (CONTRACT.md §6).
struct SyncController {
    let services: AppServices

    struct PushBody: Decodable {
        let clientId: String?
        let schemaVersion: Int?
        let mutations: [Mutation]?
    }

    func addRoutes(to routes: inout RouteTable) {
        routes.add(.post, "/v1/sync/push", push)
        routes.add(.get, "/v1/sync/pull", pull)
    }

    @Sendable func push(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requireUser()
        context.audit.record(entityId: nil, patientId: actor.role == .patient ? actor.userId : nil)
        let body = try await request.decodeJSON(as: PushBody.self, context: context)
        let clientId = try FieldRule.id(body.clientId ?? "", field: "clientId")
        try await services.store.checkClientOwner(clientId: clientId, userId: actor.userId)
        try Self.checkSchemaVersion(body.schemaVersion)
        guard let mutations = body.mutations else {
            throw DomainError.validation(field: "mutations", "mutations is required")
        }
        guard mutations.count <= SyncProtocol.maxMutationsPerPush else {
            throw DomainError.validation(field: "mutations", "at most \(SyncProtocol.maxMutationsPerPush) mutations per push")
        }
        if let index = mutations.firstIndex(where: { $0.id < 1 }) {
            throw DomainError.validation(field: "mutations.\(index).id", "mutation ids start at 1")
        }
        switch try await services.store.push(clientId: clientId, actor: actor, mutations: mutations, now: services.clock.now()) {
        case .handled(let response):
            let applied = response.results.filter { $0.status == .applied }.count
            services.telemetry.count("hms_sync_pushes_total")
            services.telemetry.count("hms_sync_mutations_total", [("status", "applied")], by: applied)
            services.telemetry.count("hms_sync_mutations_total", [("status", "rejected")], by: response.results.count - applied)
            return try .json(response)
        case .stopped(let error): throw error
        }
    }

    @Sendable func pull(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requireUser()
        context.audit.record(entityId: nil, patientId: actor.role == .patient ? actor.userId : nil)
        let clientId = try FieldRule.id(request.query("clientId") ?? "", field: "clientId")
        try await services.store.checkClientOwner(clientId: clientId, userId: actor.userId)
        guard let versionText = request.query("schemaVersion") else {
            throw DomainError.validation(field: "schemaVersion", "schemaVersion is required")
        }
        guard let version = Int(versionText) else {
            throw DomainError.validation(field: "schemaVersion", "schemaVersion must be a whole number")
        }
        try Self.checkSchemaVersion(version)
        var limit = SyncProtocol.defaultPullLimit
        if let text = request.query("limit") {
            guard let value = Int(text) else { throw DomainError.validation(field: "limit", "limit must be a whole number") }
            limit = min(max(value, 1), SyncProtocol.maxPullLimit)
        }
        let page = try await services.store.pull(
            clientId: clientId, actor: actor, cursorText: request.query("cursor"), limit: limit, now: services.clock.now())
        context.audit.recordRead(patients: page.patientIds)
        services.telemetry.count("hms_sync_pulls_total")
        services.telemetry.count("hms_sync_pulled_changes_total", by: page.changes.count)
        return .json(bytes: page.json)
    }

    /// A missing version is `VALIDATION`; any version not served, older or newer, `UPGRADE_REQUIRED`.
    static func checkSchemaVersion(_ version: Int?) throws(DomainError) {
        guard let version else { throw .validation(field: "schemaVersion", "schemaVersion is required") }
        guard version == SyncProtocol.schemaVersion else {
            throw DomainError(
                .upgradeRequired, "this server speaks sync schema version \(SyncProtocol.schemaVersion), not \(version)",
                details: ["supported": .ints([SyncProtocol.schemaVersion])])
        }
    }
}
