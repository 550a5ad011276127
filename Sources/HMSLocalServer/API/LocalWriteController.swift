import Foundation
import HMSSyncCore
import HMSWebSupport
import Hummingbird

/// The console's writes, recorded as intents with `Replica.record` exactly as the CLI records
/// them (CONTRACT.md §9.7): every rule is checked there, against the local view, and a refusal
/// carries the server's code and details. Each recorded intent wakes the background sync.
struct LocalWriteController {
    let replica: Replica
    let sync: SyncLoop

    typealias BookBody = AppointmentBodies.Book
    typealias CancelBody = AppointmentBodies.Cancel
    typealias CompleteBody = AppointmentBodies.Complete
    typealias RescheduleBody = AppointmentBodies.Reschedule

    func addRoutes(to group: RouterGroup<LocalRequestContext>) {
        group.post("appointments", use: book)
        group.post("appointments/{id}/cancel", use: cancel)
        group.post("appointments/{id}/complete", use: complete)
        group.post("appointments/{id}/reschedule", use: reschedule)
    }

    /// 201 with the new appointment; 200 when the id was already booked (a re-send).
    @Sendable func book(_ request: Request, context: LocalRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(as: BookBody.self, context: context)
        let id = body.id ?? RandomID.make()
        let isResend = try exists(id)
        let intent = BookIntent(appointmentId: id, doctorId: body.doctorId, start: body.start, reason: body.reason, patientId: body.patientId)
        return try .json(try record(.book(intent)), status: isResend ? .ok : .created)
    }

    @Sendable func cancel(_ request: Request, context: LocalRequestContext) async throws -> Response {
        let id = try request.pathId("id", context: context, what: "appointment")
        let body = try await request.decodeJSON(as: CancelBody.self, context: context, allowEmpty: true)
        return try .json(try record(.cancel(CancelIntent(appointmentId: id, reason: body.reason))))
    }

    @Sendable func complete(_ request: Request, context: LocalRequestContext) async throws -> Response {
        let id = try request.pathId("id", context: context, what: "appointment")
        let body = try await request.decodeJSON(as: CompleteBody.self, context: context)
        let intent = CompleteIntent(appointmentId: id, diagnosis: body.diagnosis ?? "", treatment: body.treatment ?? "")
        return try .json(try record(.complete(intent)))
    }

    /// 201 with the new appointment; 200 when `newAppointmentId` was already booked (a re-send).
    @Sendable func reschedule(_ request: Request, context: LocalRequestContext) async throws -> Response {
        let id = try request.pathId("id", context: context, what: "appointment")
        let body = try await request.decodeJSON(as: RescheduleBody.self, context: context)
        let newId = body.newAppointmentId ?? RandomID.make()
        let isResend = try exists(newId)
        let intent = RescheduleIntent(appointmentId: id, newAppointmentId: newId, start: body.start, reason: body.reason)
        return try .json(try record(.reschedule(intent)), status: isResend ? .ok : .created)
    }

    /// Records the intent and answers the appointment as the local view now shows it: pending,
    /// since this device's change shapes it until a sync has pulled the server's row.
    private func record(_ intent: Intent) throws -> LocalAppointment {
        let shown = try replica.record(intent, now: Date())
        sync.kick()
        return LocalAppointment(appointment: shown, pending: true)
    }

    /// Whether the local view already shows an appointment with this id (a malformed id is left
    /// for the rules to refuse).
    private func exists(_ id: String) throws -> Bool {
        let normalized = id.lowercased()
        return try replica.appointments().contains { $0.appointment.id == normalized }
    }
}
