import Foundation
import HMSSyncCore
import HMSWebSupport
import Hummingbird

/// The doctor directory, availability windows and slots (CONTRACT.md §3).
struct DoctorsController {
    let services: AppServices

    struct WindowBody: Decodable { let start: Date; let end: Date; let slotMinutes: Int }

    func addRoutes(to routes: inout RouteTable) {
        routes.add(.get, "/v1/doctors", directory)
        routes.add(.get, "/v1/doctors/{id}/availability", availability)
        routes.add(.get, "/v1/doctors/{id}/slots", slots)
        routes.add(.get, "/v1/doctors/me/availability", ownAvailability)
        routes.add(.post, "/v1/doctors/me/availability", addWindow)
        routes.add(.delete, "/v1/doctors/me/availability/{id}", removeWindow)
        routes.add(.post, "/v1/doctors/me/schedule", addSchedule)
    }

    @Sendable func directory(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireUser()
        let list = try ListQuery(request)
        let rows = try await services.store.doctors(
            specialty: request.query("specialty"), after: list.cursor, limit: list.fetchLimit)
        return try .json(list.page(rows.map(\.doctor.directoryEntry)) { (.text($0.name), $0.id) })
    }

    @Sendable func availability(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireUser()
        let doctorId = try request.pathId("id", context: context, what: "doctor")
        guard let doctor = try await services.store.user(id: doctorId), doctor.role == .doctor else {
            throw DomainError.notFound("doctor")
        }
        return try await windowPage(doctorId: doctorId, request: request)
    }

    /// `GET /v1/doctors/me/availability`: a doctor's own windows (the literal `me` takes this path).
    @Sendable func ownAvailability(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.require(.doctor)
        return try await windowPage(doctorId: actor.userId, request: request)
    }

    @Sendable func slots(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireUser()
        let doctorId = try request.pathId("id", context: context, what: "doctor")
        let day = try services.calendar.requiredDay(request.query("date"), field: "date")
        let slots = try await services.store.slots(doctorId: doctorId, day: day, now: services.clock.now())
        return try .json(Page(items: slots, nextCursor: nil))
    }

    @Sendable func addWindow(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.require(.doctor)
        let body = try await request.decodeJSON(as: WindowBody.self, context: context)
        try AvailabilityRule.validate(start: body.start, end: body.end, slotMinutes: body.slotMinutes)
        let window = try await services.store.addWindow(
            doctorId: actor.userId, start: body.start, end: body.end, slotMinutes: body.slotMinutes)
        return try .json(window, status: .created)
    }

    @Sendable func removeWindow(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.require(.doctor)
        let id = try request.pathId("id", context: context, what: "availability window")
        try await services.store.removeWindow(doctorId: actor.userId, id: id)
        return .noContent
    }

    private func windowPage(doctorId: String, request: Request) async throws -> Response {
        let list = try ListQuery(request)
        let from = try request.query("from").map { text throws(DomainError) in
            try services.calendar.instant(text, field: "from")
        }
        let to = try request.query("to").map { text throws(DomainError) in
            try services.calendar.instant(text, field: "to")
        }
        let rows = try await services.store.windows(
            doctorId: doctorId, from: from, to: to, after: list.cursor, limit: list.fetchLimit)
        return try .json(list.page(rows) { (.int($0.start.epochSeconds), $0.id) })
    }
}
