import Foundation
import HMSSyncCore
import Hummingbird
import Logging
import Prometheus

/// Builds the whole server from its settings; `hms-server` and the tests build the same app.
func buildApplication(config: Config, logger: Logger = Logger(label: "hms-server")) async throws -> some ApplicationProtocol {
    let store = try openStore(config)
    let secret = try config.jwtSecret ?? SecretFile.readOrCreate(folder: config.dataFolder, name: "jwt-secret")
    if config.clockOffset != 0 {
        logger.warning("HMS_CLOCK_OFFSET is set: the server clock runs \(config.clockOffset) s off the system clock (drills and tests only)")
    }
    let passwords = PasswordHasher(cost: UInt8(config.bcryptCost))
    let clock = AppClock(offset: TimeInterval(config.clockOffset))
    let services = AppServices(
        config: config, store: store, tokens: await TokenService(secret: secret, accessTTL: config.accessTTL),
        passwords: passwords, clock: clock,
        calendar: ClinicCalendar(timeZone: TimeZone(identifier: config.clinicTimeZone) ?? .gmt),
        timingDummyHash: try await passwords.hash(TokenService.makeRefreshToken()))
    try await seedAdmin(services, logger: logger)

    let registry = PrometheusCollectorRegistry()
    let router = buildRouter(services, telemetry: Telemetry(registry: registry))
    return Application(
        router: router,
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "hms-server"),
        logger: logger)
}

/// The router with its middleware chain and every controller's routes.
func buildRouter(_ services: AppServices, telemetry: Telemetry) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: RequestIdMiddleware())
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: RequestMetricsMiddleware(telemetry: telemetry))
    router.add(middleware: RateLimitMiddleware(limiter: RateLimiter(perMinute: services.config.rateLimit)))
    router.add(middleware: AuthMiddleware(tokens: services.tokens, store: services.store, clock: services.clock))
    var routes = RouteTable()
    ServiceController(services: services, metrics: telemetry.registry).addRoutes(to: &routes)
    AuthController(services: services).addRoutes(to: &routes)
    DoctorsController(services: services).addRoutes(to: &routes)
    AppointmentsController(services: services).addRoutes(to: &routes)
    AdminController(services: services).addRoutes(to: &routes)
    SyncController(services: services).addRoutes(to: &routes)
    routes.install(on: router)
    return router
}

private func openStore(_ config: Config) throws -> Store {
    switch config.database {
    case .postgres:
        throw ConfigError(setting: "HMS_DATABASE_URL", problem: "PostgreSQL is not supported by this build yet; use a SQLite path")
    case .sqlite(let path):
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        do {
            return try Store(path: path)
        } catch {
            throw ConfigError(setting: "HMS_DATABASE_URL", problem: "cannot open the SQLite database at \(path)")
        }
    }
}

/// Creates the configured admin once; a made-up password is printed that one time only.
private func seedAdmin(_ services: AppServices, logger: Logger) async throws {
    let password = services.config.adminPassword ?? TokenService.makeRefreshToken().prefix(20).description
    let hash = try await services.passwords.hash(password)
    let created = try await services.store.seedAdmin(
        email: services.config.adminEmail, name: "Administrator", passwordHash: { hash }, now: services.clock.now())
    if created && services.config.adminPassword == nil {
        FileHandle.standardOutput.write(
            Data("hms-server: created admin \(services.config.adminEmail) with password \(password) (shown once)\n".utf8))
    }
}
