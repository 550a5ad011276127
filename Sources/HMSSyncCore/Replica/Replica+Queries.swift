import Foundation
import GRDB

/// `hms-sync status`: `{server, user, clientId, pending, rejections, lastSyncAt, lastMutationId,
/// recovered, lastRecoveryAt, repairs, lastRepairAt}` (CONTRACT.md §9.9 and §9.6).
public struct ReplicaStatus: Codable, Sendable, Equatable {
    public let server: String?
    public let user: User?
    public let clientId: String?
    public let pending: Int
    public let rejections: Int
    public let lastSyncAt: String?
    public let lastMutationId: Int
    /// Intents recorded again after the server lost them, ever; and when that last happened.
    public let recovered: Int
    public let lastRecoveryAt: String?
    /// Repairs of a replica that had drifted from the server, ever; and when the last one was.
    public let repairs: Int
    public let lastRepairAt: String?

    private enum CodingKeys: String, CodingKey {
        case server, user, clientId, pending, rejections, lastSyncAt, lastMutationId, recovered, lastRecoveryAt
        case repairs, lastRepairAt
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(server, forKey: .server)
        try container.encode(user, forKey: .user)
        try container.encode(clientId, forKey: .clientId)
        try container.encode(pending, forKey: .pending)
        try container.encode(rejections, forKey: .rejections)
        try container.encode(lastSyncAt, forKey: .lastSyncAt)
        try container.encode(lastMutationId, forKey: .lastMutationId)
        try container.encode(recovered, forKey: .recovered)
        try container.encode(lastRecoveryAt, forKey: .lastRecoveryAt)
        try container.encode(repairs, forKey: .repairs)
        try container.encode(lastRepairAt, forKey: .lastRepairAt)
    }
}

extension Replica {
    public func status() throws -> ReplicaStatus {
        try queue.read { db in
            ReplicaStatus(
                server: try db.state(.server),
                user: try db.storedUser(cipher),
                clientId: try db.state(.clientId),
                pending: try Int.fetchOne(db, sql: "SELECT count(*) FROM intents WHERE state = 'pending'") ?? 0,
                rejections: try Int.fetchOne(db, sql: "SELECT count(*) FROM rejections") ?? 0,
                lastSyncAt: try db.state(.lastSyncAt),
                lastMutationId: Int(try db.state(.lastMutationId) ?? "0") ?? 0,
                recovered: Int(try db.state(.recovered) ?? "0") ?? 0,
                lastRecoveryAt: try db.state(.lastRecoveryAt),
                repairs: Int(try db.state(.repairs) ?? "0") ?? 0,
                lastRepairAt: try db.state(.lastRepairAt))
        }
    }

    /// The local view's appointments by start, optionally of one status; pending marks those a
    /// recorded intent shapes.
    public func appointments(status: AppointmentStatus? = nil) throws -> [LocalAppointment] {
        try queue.read { db in
            guard let session = try Self.session(db, cipher) ?? Self.signedOutSession(db, cipher) else { return [] }
            let view = try LocalView(db, actor: session.actor, cipher: cipher)
            var byId: [String: LocalAppointment] = [:]
            for appointment in try db.serverRows(Appointment.self, entity: "appointment", cipher) {
                byId[appointment.id] = LocalAppointment(appointment: appointment, pending: false)
            }
            for (id, appointment) in try view.replayedAppointments() {
                byId[id] = LocalAppointment(appointment: appointment, pending: true)
            }
            return byId.values
                .filter { status == nil || $0.appointment.status == status }
                .sorted { ($0.appointment.start, $0.appointment.id) < ($1.appointment.start, $1.appointment.id) }
        }
    }

    /// The doctor directory as pulled, by name.
    public func doctors() throws -> [Doctor] {
        try queue.read { db in
            try db.serverRows(Doctor.self, entity: "doctor", cipher)
                .sorted { ($0.name, $0.id) < ($1.name, $1.id) }
        }
    }

    /// A doctor's slots starting inside `day`, free unless they have started by `now` or the
    /// local view holds them (`SlotRule.isFree`, the server's rule).
    public func slots(doctorId: String, day: TimeRange, now: Date = Date()) throws -> [Slot] {
        try queue.read { db in
            guard let session = try Self.session(db, cipher) ?? Self.signedOutSession(db, cipher) else { return [] }
            let view = try LocalView(db, actor: session.actor, cipher: cipher)
            let windows = try db.serverRows(
                AvailabilityWindow.self, entity: "availability",
                filter: #"AND doctor_id = ? AND start < ? AND "end" > ? AND start > ?"#,
                arguments: [doctorId, Int64(day.end.timeIntervalSince1970), Int64(day.start.timeIntervalSince1970),
                            Int64(day.start.timeIntervalSince1970 - AvailabilityRule.longestWindow)],
                cipher)
            let busy = try view.busy(column: "doctor_id", id: doctorId, near: day)
            return windows.flatMap(\.slots)
                .filter { day.contains($0.start) }
                .sorted { $0.start < $1.start }
                .map { slot in Slot(start: slot.start, end: slot.end, free: SlotRule.isFree(slot, busy: busy, now: now)) }
        }
    }

    /// The last user's identity, so the offline view works after sign-out too.
    static func signedOutSession(_ db: Database, _ cipher: ReplicaCipher) throws -> Session? {
        guard let server = try db.state(.server), let user = try db.storedUser(cipher) else { return nil }
        return Session(server: server, user: user, accessToken: "", refreshToken: "",
                       clinicTimeZone: try db.state(.clinicTimeZone) ?? "UTC")
    }
}
