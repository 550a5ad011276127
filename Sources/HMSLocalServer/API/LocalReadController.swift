import Foundation
import HMSSyncCore
import HMSWebSupport
import Hummingbird

/// The console's reads, answered from the replica's local view in the central server's shapes
/// (CONTRACT.md §9.7): who is signed in, the clinic, the doctor directory, a doctor's slots, and
/// the appointments, each with `pending`.
struct LocalReadController {
    let replica: Replica

    func addRoutes(to group: RouterGroup<LocalRequestContext>) {
        group.get("me", use: me)
        group.get("clinic", use: clinic)
        group.get("doctors", use: doctors)
        group.get("doctors/{id}/slots", use: slots)
        group.get("appointments", use: appointments)
        group.get("appointments/{id}", use: appointment)
    }

    @Sendable func me(_ request: Request, context: LocalRequestContext) async throws -> Response {
        try .json(try session().user)
    }

    @Sendable func clinic(_ request: Request, context: LocalRequestContext) async throws -> Response {
        let clinic = try replica.clinic() ?? Clinic(name: Replica.defaultClinicName, timeZone: "UTC")
        return try .json(LocalClinic(name: clinic.name, timeZone: clinic.timeZone))
    }

    @Sendable func doctors(_ request: Request, context: LocalRequestContext) async throws -> Response {
        let paging = try ListPaging(request)
        var doctors = try replica.doctors().map(\.directoryEntry)
        if let specialty = request.query("specialty") {
            // ignoring case, as the server does (its NOCASE folds only ASCII; specialties are words)
            doctors = doctors.filter { $0.specialty.lowercased() == specialty.lowercased() }
        }
        return try .json(paging.page(doctors, id: \.id))
    }

    @Sendable func slots(_ request: Request, context: LocalRequestContext) async throws -> Response {
        let doctorId = try request.pathId("id", context: context, what: "doctor")
        let day = try calendar().requiredDay(request.query("date"), field: "date")
        guard try replica.doctors().contains(where: { $0.id == doctorId }) else { throw DomainError.notFound("doctor") }
        return try .json(Page(items: try replica.slots(doctorId: doctorId, day: day, now: Date()), nextCursor: nil))
    }

    @Sendable func appointments(_ request: Request, context: LocalRequestContext) async throws -> Response {
        let paging = try ListPaging(request)
        let filter = try AppointmentListFilter(request, calendar: try calendar())
        let actor = try session().actor
        let rows = filter.apply(to: try replica.appointments(status: filter.status), actor: actor)
        return try .json(paging.page(rows, id: \.appointment.id))
    }

    @Sendable func appointment(_ request: Request, context: LocalRequestContext) async throws -> Response {
        let id = try request.pathId("id", context: context, what: "appointment")
        guard let found = try replica.appointments().first(where: { $0.appointment.id == id }) else {
            throw DomainError.notFound("appointment")
        }
        return try .json(found)
    }

    /// The replica's sign-in; `serve` starts only when there is one, but a `logout` from another
    /// terminal may end it while serving.
    private func session() throws -> Session {
        guard let session = try replica.session() else { throw ReplicaError.loginNeeded("not signed in; run `hms-sync login`") }
        return session
    }

    private func calendar() throws -> ClinicCalendar {
        ClinicCalendar(timeZone: TimeZone(identifier: try session().clinicTimeZone) ?? .gmt)
    }
}
