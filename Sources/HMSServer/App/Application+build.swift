import Foundation
import HMSSyncCore
import HMSWebSupport
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle

/// Builds the whole server from its settings; `hms-server` and the tests build the same app.
func buildApplication(config: Config, logger: Logger = Logger(label: "hms-server")) async throws -> some ApplicationProtocol {
    let store = try await openStore(config, logger: logger)
    if case .postgres = config.database, config.jwtSecret == nil {
        logger.warning("HMS_JWT_SECRET is not set: servers sharing this database must share one secret, or tokens from one are refused by the others")
    }
    let secret = try config.jwtSecret ?? SecretFile.readOrCreate(folder: config.dataFolder, name: "jwt-secret")
    if config.clockOffset != 0 {
        logger.warning("HMS_CLOCK_OFFSET is set: the server clock runs \(config.clockOffset) s off the system clock (drills and tests only)")
    }
    let clock = AppClock(offset: TimeInterval(config.clockOffset))
    let telemetry = Telemetry(registry: PrometheusCollectorRegistry())
    let passwords = PasswordHasher(cost: UInt8(config.bcryptCost), telemetry: telemetry)
    let mail = EscalationMail(clinicName: config.clinicName, domain: config.mailDomain)
    let calendar = ClinicCalendar(timeZone: TimeZone(identifier: config.clinicTimeZone) ?? .gmt)
    let reminders = ReminderMail(clinicName: config.clinicName, domain: config.mailDomain, timeZone: calendar.timeZone)
    let services = AppServices(
        config: config, store: store,
        tokens: await TokenService(secret: secret, accessTTL: config.accessTTL, sessionMaxAge: config.sessionMaxAge),
        passwords: passwords, clock: clock,
        calendar: calendar,
        telemetry: telemetry,
        sweep: NoShowSweep(
            store: store, clock: clock, grace: TimeInterval(config.noShowGrace), mail: mail,
            reminderLead: TimeInterval(config.reminderLead), reminderMail: reminders, telemetry: telemetry),
        timingDummyHash: try await passwords.hash(TokenService.makeRefreshToken()), loginThrottle: LoginThrottle())
    try await seedAdmin(services, logger: logger)

    return Application(
        router: buildRouter(services),
        server: try ServerTransport.builder(config),
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "hms-server"),
        services: backgroundJobs(services, logger: logger),
        logger: logger)
}

/// The no-show sweep (unless its interval is 0), the busy-row expiry, and the mail dispatcher (when SMTP is set).
func backgroundJobs(_ services: AppServices, logger: Logger) -> [any Service] {
    // First in the group, so shut down last: after the HTTP server has drained and the jobs ended.
    var jobs: [any Service] = [StoreCloser(store: services.store)]
    let config = services.config
    if config.noShowInterval > 0 {
        jobs.append(NoShowSweepService(sweep: services.sweep, interval: .seconds(config.noShowInterval), logger: logger))
    }
    jobs.append(BusyExpiryService(store: services.store, clock: services.clock, logger: logger))
    if let smtpURL = config.smtpURL {
        jobs.append(EmailDispatcher(
            store: services.store, mailer: SMTPMailer(url: smtpURL, requireTLS: config.smtpRequiresTLS, timeoutSeconds: 30),
            from: config.mailSender,
            clock: services.clock, telemetry: services.telemetry, pollInterval: .seconds(config.mailPollInterval),
            retryBase: TimeInterval(config.mailRetryBase), logger: logger))
    } else {
        logger.info("HMS_SMTP_URL is not set: escalation mail stays queued")
    }
    return jobs
}

/// The router with its middleware chain and every controller's routes.
func buildRouter(_ services: AppServices) -> Router<AppRequestContext> {
    var routes = RouteTable()
    ServiceController(services: services, metrics: services.telemetry.registry).addRoutes(to: &routes)
    AuthController(services: services).addRoutes(to: &routes)
    DoctorsController(services: services).addRoutes(to: &routes)
    AppointmentsController(services: services).addRoutes(to: &routes)
    AdminController(services: services).addRoutes(to: &routes)
    SyncController(services: services).addRoutes(to: &routes)
    UsersController(services: services).addRoutes(to: &routes)
    MeController(services: services).addRoutes(to: &routes)
    ConsoleController(files: ConsoleFiles(folder: services.config.consoleDir)).addRoutes(to: &routes)
    FHIRController(services: services).addRoutes(to: &routes)

    let limiter = RateLimiter(perMinute: services.config.rateLimit)
    let rateLimits = RateLimitMiddleware(limiter: limiter)
    let audit = AuditMiddleware(store: services.store, clock: services.clock)

    let router = Router(context: AppRequestContext.self)
    router.add(middleware: RequestIdMiddleware())
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: RequestMetricsMiddleware(telemetry: services.telemetry))
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: UnmatchedOnly(middleware: rateLimits))
    router.add(middleware: UnmatchedOnly(middleware: audit))
    routes.installServiceRoutes(on: router)

    // Every /v1 route: decisions are keyed by the matched route (`context.endpointPath`), so each
    // spelling of a path (`//v1/x`, `/v1//x`, `/v1/x/`) is limited and audited as the route it reaches.
    let auth = AuthMiddleware(tokens: services.tokens, store: services.store, clock: services.clock)
    let api = router.group("v1")
        .add(middleware: rateLimits)
        .add(middleware: auth)
        .add(middleware: audit)
    routes.installRoutes(under: RouteTable.apiPrefix, in: api)
    // FHIR R4: the same limits, auth and audit, with refusals as OperationOutcomes
    let fhir = router.group("fhir/R4")
        .add(middleware: FHIRErrorMiddleware())
        .add(middleware: rateLimits)
        .add(middleware: auth)
        .add(middleware: audit)
    routes.installRoutes(under: RouteTable.fhirPrefix, in: fhir)
    return router
}

/// The configured backend's store, opened as the server opens it at start (tests open a second
/// one on the same database this way, as another server process would).
func openStore(_ config: Config, logger: Logger = Logger(label: "hms-server")) async throws -> any ServerStore {
    switch config.database {
    case .postgres(let url):
        // PostgresConnector.open turns every start-up failure into one ConfigError line
        return try await PostgresStore.open(url: url, logger: logger)
    case .sqlite(let path):
        // SQLiteStore.init makes a missing data folder 0700 and the database files 0600
        do {
            return try SQLiteStore(path: path)
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
