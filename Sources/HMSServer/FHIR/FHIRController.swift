import Foundation
import HMSSyncCore
import HMSWebSupport
import Hummingbird

/// FHIR R4, read-only (CONTRACT.md §9.5): the same store reads as `/v1`, under the same
/// authorization and visibility, mapped by `FHIRMapping`. Routes live in the FHIR group, which
/// carries the rate limits, auth and audit of `/v1` (`buildRouter`).
struct FHIRController {
    let services: AppServices
    let published = Date()

    func addRoutes(to routes: inout RouteTable) {
        routes.add(.get, "/fhir/R4/metadata", metadata)
        routes.add(.get, "/fhir/R4/Appointment", appointments)
        routes.add(.get, "/fhir/R4/Appointment/{id}", appointment)
        routes.add(.get, "/fhir/R4/Practitioner", practitioners)
        routes.add(.get, "/fhir/R4/Practitioner/{id}", practitioner)
        routes.add(.get, "/fhir/R4/Patient/{id}", patient)
        routes.add(.get, "/fhir/R4/Schedule", schedules)
        routes.add(.get, "/fhir/R4/Slot", slots)
    }

    @Sendable func metadata(_ request: Request, context: AppRequestContext) async throws -> Response {
        try FHIRAnswer.resource(FHIRCapabilityStatement.make(software: "hms-server", published: published))
    }

    @Sendable func appointment(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requireUser()
        let id = try request.pathId("id", context: context, what: "appointment")
        let found = try await services.store.appointment(id: id, actor: actor)
        context.audit.record(entityId: found.id, patientId: found.patientId)
        return try FHIRAnswer.resource(FHIRMapping.appointment(found))
    }

    /// The search narrows inside the actor's `/v1` scope: a doctor's own schedule, a patient's own
    /// history. The store is asked in the admin's terms with that scope forced into the filter,
    /// so `patient` and `practitioner` narrow for every role (`/v1` ignores them for non-admins),
    /// and every role's page runs by start, ascending.
    @Sendable func appointments(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requireUser()
        let search = FHIRSearch(request: request, calendar: services.calendar)
        let count = try search.count()
        var filter = AppointmentFilter()
        let (from, to) = try search.range("date")
        filter.from = from
        filter.to = to
        if let code = request.query("status") {
            guard let status = FHIRMapping.status(fhirCode: code) else {
                throw DomainError.validation(field: "status", "status must be booked, fulfilled, cancelled or noshow")
            }
            filter.status = status
        }
        let patient = search.reference("patient", type: "Patient")
        let practitioner = search.reference("practitioner", type: "Practitioner")
        filter.patientId = patient ?? nil
        filter.doctorId = practitioner ?? nil
        let outOfScope: Bool
        switch actor.role {
        case .admin:
            outOfScope = false
        case .doctor:
            outOfScope = practitioner.map { $0 != actor.userId } ?? false
            filter.doctorId = actor.userId
        case .patient:
            outOfScope = patient.map { $0 != actor.userId } ?? false
            filter.patientId = actor.userId
        }
        context.audit.record(entityId: nil, patientId: filter.patientId)
        if outOfScope || patient == .some(nil) || practitioner == .some(nil) {
            return try FHIRAnswer.resource(FHIRBundle.searchset([], request: request, nextCursor: nil))
        }
        let rows = try await services.store.appointments(
            actor: Actor(userId: actor.userId, role: .admin), filter: filter, after: try search.cursor(), limit: count + 1)
        let list = Array(rows.prefix(count))
        context.audit.recordRead(patients: list.map(\.patientId))
        let next = rows.count > count ? list.last.map { ListCursor(key: .int($0.start.epochSeconds), id: $0.id).encoded } : nil
        return try FHIRAnswer.resource(FHIRBundle.searchset(list.map(FHIRMapping.appointment), request: request, nextCursor: next))
    }

    @Sendable func practitioner(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireUser()
        return try FHIRAnswer.resource(FHIRMapping.practitioner(try await doctor(request, context)))
    }

    @Sendable func practitioners(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireUser()
        let search = FHIRSearch(request: request, calendar: services.calendar)
        let count = try search.count()
        let rows = try await services.store.doctors(specialty: request.query("specialty"), after: try search.cursor(), limit: count + 1)
        let list = Array(rows.prefix(count))
        let next = rows.count > count ? list.last.map { ListCursor(key: .text($0.name), id: $0.id).encoded } : nil
        return try FHIRAnswer.resource(FHIRBundle.searchset(list.map(FHIRMapping.practitioner), request: request, nextCursor: next))
    }

    /// Visible to that patient, to admins, and to doctors with an appointment of theirs; to
    /// anyone else it does not exist.
    @Sendable func patient(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requireUser()
        let id = try request.pathId("id", context: context, what: "patient")
        context.audit.record(entityId: id, patientId: id)
        let visible: Bool
        switch actor.role {
        case .admin: visible = true
        case .patient: visible = actor.userId == id
        case .doctor:
            var theirs = AppointmentFilter()
            theirs.doctorId = actor.userId
            theirs.patientId = id
            visible = try await !services.store.appointments(
                actor: Actor(userId: actor.userId, role: .admin), filter: theirs, after: nil, limit: 1).isEmpty
        }
        guard visible, let found = try await services.store.user(id: id), found.role == .patient else {
            throw DomainError.notFound("patient")
        }
        context.audit.recordRead(patients: [found.id])
        return try FHIRAnswer.resource(FHIRMapping.patient(found))
    }

    /// One Schedule per doctor; `actor` narrows to one.
    @Sendable func schedules(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireUser()
        let search = FHIRSearch(request: request, calendar: services.calendar)
        let count = try search.count()
        switch search.reference("actor", type: "Practitioner") {
        case .some(let id):
            let found = try await id.asyncFlatMap { try await services.store.user(id: $0) }
            let schedules = found.flatMap { $0.role == .doctor ? [FHIRMapping.schedule($0)] : nil } ?? []
            return try FHIRAnswer.resource(FHIRBundle.searchset(schedules, request: request, nextCursor: nil))
        case .none:
            let rows = try await services.store.doctors(specialty: nil, after: try search.cursor(), limit: count + 1)
            let list = Array(rows.prefix(count))
            let next = rows.count > count ? list.last.map { ListCursor(key: .text($0.name), id: $0.id).encoded } : nil
            return try FHIRAnswer.resource(FHIRBundle.searchset(list.map(FHIRMapping.schedule), request: request, nextCursor: next))
        }
    }

    private func doctor(_ request: Request, _ context: AppRequestContext) async throws -> UserRecord {
        let id = try request.pathId("id", context: context, what: "practitioner")
        guard let found = try await services.store.user(id: id), found.role == .doctor else {
            throw DomainError.notFound("practitioner")
        }
        return found
    }
}

extension Optional {
    func asyncFlatMap<U>(_ transform: (Wrapped) async throws -> U?) async rethrows -> U? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
