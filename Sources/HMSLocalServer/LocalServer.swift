import Foundation
import HMSSyncCore
import HMSWebSupport
import Hummingbird
import Logging

/// `hms-sync serve` (CONTRACT.md §9.7): the web console and the `/v1` calls it makes, answered
/// from this laptop's replica on 127.0.0.1, with a background sync. The HTTP layer only
/// translates: reads go to the replica's queries, writes to `Replica.record`, so every domain
/// rule stays in HMSSyncCore, once.
package struct LocalServer {
    package let replica: Replica
    package let engine: SyncEngine
    package let port: Int
    package let interval: Duration
    package let consoleFolder: String
    package let secret = ServeSecret()
    package let logger: Logger

    package init(replica: Replica, engine: SyncEngine, port: Int, interval: Duration, consoleFolder: String, logger: Logger) {
        self.replica = replica
        self.engine = engine
        self.port = port
        self.interval = interval
        self.consoleFolder = consoleFolder
        self.logger = logger
    }

    /// The address to open: the console, with this start's secret.
    package var url: String { "http://127.0.0.1:\(port)/app/?token=\(secret.text)" }

    /// Serves until SIGINT or SIGTERM, then lets the sync in flight end. `onRunning` is called
    /// once the port is bound (the CLI prints `url` then).
    package func run(onRunning: @escaping @Sendable () async -> Void) async throws {
        try await application(onRunning: onRunning).runService()
    }

    /// The application, bound to 127.0.0.1 only.
    func application(onRunning: @escaping @Sendable () async -> Void) -> some ApplicationProtocol {
        let sync = SyncLoop(engine: engine, interval: interval, logger: logger)
        return Application(
            router: router(sync: sync),
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "hms-sync"),
            services: [sync],
            onServerRunning: { _ in await onRunning() },
            logger: logger)
    }

    /// The middleware chain and the routes: the Host check first (a foreign page learns nothing,
    /// not even whether the secret was right), then the secret, then headers and errors.
    func router(sync: SyncLoop) -> Router<LocalRequestContext> {
        let router = Router(context: LocalRequestContext.self)
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: LoopbackHostMiddleware(port: port))
        router.add(middleware: SecretGateMiddleware(secret: secret, port: port))
        router.add(middleware: LocalErrorMiddleware())
        let console = ConsoleResponder(files: ConsoleFiles(folder: consoleFolder))
        router.get("/app") { request, context in try console.respond(to: request, context: context) }
        router.get("/app/**") { request, context in try console.respond(to: request, context: context) }
        let api = router.group("v1")
        LocalReadController(replica: replica).addRoutes(to: api)
        LocalWriteController(replica: replica, sync: sync).addRoutes(to: api)
        LocalSyncController(replica: replica, sync: sync).addRoutes(to: api)
        return router
    }
}
