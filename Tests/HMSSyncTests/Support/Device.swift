import Foundation
import GRDB
import HMSSyncCore
import HMSTestSupport

/// One client device: its replica file, its sync engine, and the faulty network in between.
struct Device: Sendable {
    let name: String
    let account: Account
    let path: String
    let replica: Replica
    let network: FaultTransport
    let engine: SyncEngine

    /// One data key for every replica of the test run, so a restored backup opens too.
    static let replicaKey = ReplicaKey.random()

    /// Retries fast, so fault-heavy tests stay short; still gives up after `silenceLimit`.
    static let quickRetry = RetryPolicy(silenceLimit: 10, initialDelay: 0.01, maxDelay: 0.1)

    /// A new replica for `account`, signed in at `server` (the network is calm during login).
    static func signIn(
        _ account: Account, at server: LiveServer, name: String? = nil, retry: RetryPolicy = quickRetry
    ) async throws -> Device {
        let name = name ?? account.user.name
        let path = server.replicaPath(name)
        let device = try Device(name: name, account: account, path: path, retry: retry)
        _ = try await device.engine.login(server: server.url, email: account.email, password: account.password)
        return device
    }

    /// Opens an existing replica file (a restored backup, say) with a new engine.
    init(name: String, account: Account, path: String, retry: RetryPolicy = quickRetry) throws {
        self.name = name
        self.account = account
        self.path = path
        replica = try Replica(path: path, key: Self.replicaKey)
        network = FaultTransport()
        engine = SyncEngine(replica: replica, transport: network, retry: retry)
    }

    @discardableResult
    func sync() async throws -> SyncReport { try await engine.sync() }

    /// Syncs until nothing is pending, then once more (the contract's quiescence).
    func syncUntilQuiet(maxRounds: Int = 20) async throws -> [SyncReport] {
        var reports: [SyncReport] = []
        for _ in 0..<maxRounds {
            reports.append(try await sync())
            if try replica.outbox().isEmpty { break }
        }
        reports.append(try await sync())
        return reports
    }

    func book(_ doctorId: String, at start: Date, id: String = UUID().uuidString.lowercased(), reason: String? = nil,
              patientId: String? = nil, now: Date = Date()) throws -> Appointment {
        try replica.record(
            .book(BookIntent(appointmentId: id, doctorId: doctorId, start: start, reason: reason, patientId: patientId)), now: now)
    }

    func cancel(_ id: String, reason: String? = nil, now: Date = Date()) throws -> Appointment {
        try replica.record(.cancel(CancelIntent(appointmentId: id, reason: reason)), now: now)
    }

    func complete(_ id: String, now: Date = Date()) throws -> Appointment {
        try replica.record(.complete(CompleteIntent(appointmentId: id, diagnosis: "flu", treatment: "rest")), now: now)
    }

    func reschedule(_ id: String, to start: Date, newId: String = UUID().uuidString.lowercased(), now: Date = Date()) throws
        -> Appointment
    {
        try replica.record(.reschedule(RescheduleIntent(appointmentId: id, newAppointmentId: newId, start: start)), now: now)
    }

    /// The local view's appointments by id.
    func localAppointments() throws -> [String: LocalAppointment] {
        Dictionary(uniqueKeysWithValues: try replica.appointments().map { ($0.appointment.id, $0) })
    }

    /// Changes the replica file behind the engine's back (another process, a restore tool).
    func tamper(_ sql: String, arguments: StatementArguments = []) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: sql, arguments: arguments) }
    }

    /// A copy of the replica file as it is now, made with SQLite's online backup.
    func backup(to backupPath: String) throws {
        let source = try DatabaseQueue(path: path)
        let destination = try DatabaseQueue(path: backupPath)
        try source.backup(to: destination)
    }
}
