import Foundation
import HMSSyncCore
import HMSWebSupport
import Hummingbird

/// Appointments and their lifecycle (CONTRACT.md §4). Each write runs the same store path as
/// the matching sync mutation.
struct AppointmentsController {
    let services: AppServices

    typealias BookBody = AppointmentBodies.Book
    typealias CancelBody = AppointmentBodies.Cancel
    typealias CompleteBody = AppointmentBodies.Complete
    typealias RescheduleBody = AppointmentBodies.Reschedule

    func addRoutes(to routes: inout RouteTable) {
        routes.add(.get, "/v1/appointments", list)
        routes.add(.post, "/v1/appointments", book)
        routes.add(.get, "/v1/appointments/{id}", get)
        routes.add(.post, "/v1/appointments/{id}/cancel", cancel)
        routes.add(.post, "/v1/appointments/{id}/complete", complete)
        routes.add(.post, "/v1/appointments/{id}/reschedule", reschedule)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requireUser()
        let list = try ListQuery(request)
        let filter = try filter(request)
        context.audit.record(entityId: nil, patientId: actor.role == .patient ? actor.userId : (actor.role == .admin ? filter.patientId : nil))
        let rows = try await services.store.appointments(
            actor: actor, filter: filter, after: list.cursor, limit: list.fetchLimit)
        context.audit.recordRead(patients: rows.prefix(list.limit).map(\.patientId))
        return try .json(list.page(rows) { (.int($0.start.epochSeconds), $0.id) })
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requireUser()
        let id = try request.pathId("id", context: context, what: "appointment")
        return try audited(try await services.store.appointment(id: id, actor: actor), context)
    }

    @Sendable func book(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.require(.patient, .admin)
        let body = try await request.decodeJSON(as: BookBody.self, context: context)
        let intent = try IntentRule.authorize(
            BookIntent(
                appointmentId: body.id ?? RandomID.make(), doctorId: body.doctorId, start: body.start,
                reason: body.reason, patientId: body.patientId),
            by: actor)
        context.audit.record(entityId: intent.appointmentId, patientId: intent.patientId)
        return try answer(try await services.store.book(intent, actor: actor, now: services.clock.now()), context)
    }

    /// Moves a booked appointment (CONTRACT.md §9.8): 201 with the new one, 200 for a re-send.
    @Sendable func reschedule(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.require(.patient, .admin)
        let id = try request.pathId("id", context: context, what: "appointment")
        let body = try await request.decodeJSON(as: RescheduleBody.self, context: context)
        let intent = try IntentRule.authorize(
            RescheduleIntent(
                appointmentId: id, newAppointmentId: body.newAppointmentId ?? RandomID.make(),
                start: body.start, reason: body.reason),
            by: actor)
        // a refusal's row names the patient only when the actor is the patient: an admin's view of
        // who owns the appointment comes from the row the write reads
        context.audit.record(entityId: intent.appointmentId, patientId: actor.role == .patient ? actor.userId : nil)
        return try answer(try await services.store.reschedule(intent, actor: actor, now: services.clock.now()), context)
    }

    @Sendable func cancel(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.require(.patient, .admin)
        let id = try request.pathId("id", context: context, what: "appointment")
        let body = try await request.decodeJSON(as: CancelBody.self, context: context, allowEmpty: true)
        let intent = try IntentRule.authorize(CancelIntent(appointmentId: id, reason: body.reason), by: actor)
        return try audited(try await services.store.cancel(intent, actor: actor, now: services.clock.now()), context)
    }

    @Sendable func complete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.require(.doctor)
        let id = try request.pathId("id", context: context, what: "appointment")
        let body = try await request.decodeJSON(as: CompleteBody.self, context: context)
        let intent = try IntentRule.authorize(
            CompleteIntent(appointmentId: id, diagnosis: body.diagnosis ?? "", treatment: body.treatment ?? ""),
            by: actor)
        return try audited(try await services.store.complete(intent, actor: actor, now: services.clock.now()), context)
    }

    /// 201 with a new appointment, 200 with the stored one for an idempotent re-send.
    private func answer(_ outcome: BookingOutcome, _ context: AppRequestContext) throws -> Response {
        switch outcome {
        case .created(let appointment): try audited(appointment, context, status: .created)
        case .existing(let appointment): try audited(appointment, context)
        }
    }

    /// Answers the appointment and names it and its patient in the audit trail.
    private func audited(_ appointment: Appointment, _ context: AppRequestContext, status: HTTPResponse.Status = .ok) throws
        -> Response
    {
        context.audit.record(entityId: appointment.id, patientId: appointment.patientId)
        return try .json(appointment, status: status)
    }

    /// The admin's filters; the store narrows them to their own for doctors and patients.
    private func filter(_ request: Request) throws(DomainError) -> AppointmentFilter {
        var filter = AppointmentFilter()
        if let status = request.query("status") {
            guard let value = AppointmentStatus(rawValue: status.uppercased()) else {
                throw .validation(field: "status", "status must be BOOKED, COMPLETED, CANCELLED or NO_SHOW")
            }
            filter.status = value
        }
        filter.doctorId = try request.query("doctorId").map { id throws(DomainError) in
            try FieldRule.id(id, field: "doctorId")
        }
        filter.patientId = try request.query("patientId").map { id throws(DomainError) in
            try FieldRule.id(id, field: "patientId")
        }
        if let date = request.query("date") {
            let day = try services.calendar.requiredDay(date, field: "date")
            filter.from = day.start
            filter.to = day.end
        }
        if let from = request.query("from") { filter.from = try services.calendar.instant(from, field: "from") }
        if let to = request.query("to") { filter.to = try services.calendar.instant(to, field: "to") }
        return filter
    }
}
