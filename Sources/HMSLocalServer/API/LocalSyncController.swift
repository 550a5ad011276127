import HMSSyncCore
import HMSWebSupport
import Hummingbird

/// The sync state, for the console's sync bar (CONTRACT.md §9.7): `GET /v1/local/status`
/// (`status --json` plus `online`), `POST /v1/local/sync` (a sync now; `sync --json`'s object)
/// and `GET /v1/local/rejections` (`rejections --json`'s array).
struct LocalSyncController {
    let replica: Replica
    let sync: SyncLoop

    func addRoutes(to group: RouterGroup<LocalRequestContext>) {
        group.get("local/status", use: status)
        group.post("local/sync", use: syncNow)
        group.get("local/rejections", use: rejections)
    }

    @Sendable func status(_ request: Request, context: LocalRequestContext) async throws -> Response {
        try .json(LocalStatus(status: try replica.status(), online: await sync.health.online))
    }

    @Sendable func syncNow(_ request: Request, context: LocalRequestContext) async throws -> Response {
        switch await sync.syncNow() {
        case .success(let report): try .json(report)
        case .failure(let error): LocalErrorMiddleware.response(for: error)
        }
    }

    @Sendable func rejections(_ request: Request, context: LocalRequestContext) async throws -> Response {
        try .json(try replica.rejections())
    }
}
