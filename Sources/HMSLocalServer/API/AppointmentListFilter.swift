import Foundation
import HMSSyncCore
import HMSWebSupport
import Hummingbird

/// The filters of `GET /v1/appointments` (CONTRACT.md §4), over the local view: `status`,
/// `doctorId`, `patientId` (admins only; a filter the role may not use is ignored), `date`,
/// `from` (inclusive) and `to` (exclusive) on `start`. Admins and doctors get the list by start
/// ascending, patients newest first, as the server answers them.
struct AppointmentListFilter {
    var status: AppointmentStatus?
    var doctorId: String?
    var patientId: String?
    var from: Date?
    var to: Date?

    init(_ request: Request, calendar: ClinicCalendar) throws(DomainError) {
        if let text = request.query("status") {
            guard let value = AppointmentStatus(rawValue: text.uppercased()) else {
                throw .validation(field: "status", "status must be BOOKED, COMPLETED, CANCELLED or NO_SHOW")
            }
            status = value
        }
        doctorId = try request.query("doctorId").map { id throws(DomainError) in try FieldRule.id(id, field: "doctorId") }
        patientId = try request.query("patientId").map { id throws(DomainError) in try FieldRule.id(id, field: "patientId") }
        if let date = request.query("date") {
            let day = try calendar.requiredDay(date, field: "date")
            from = day.start
            to = day.end
        }
        if let text = request.query("from") { from = try calendar.instant(text, field: "from") }
        if let text = request.query("to") { to = try calendar.instant(text, field: "to") }
    }

    /// The rows this filter keeps, in the order the actor's role gets them.
    func apply(to rows: [LocalAppointment], actor: Actor) -> [LocalAppointment] {
        let kept = rows.filter { row in
            let appointment = row.appointment
            return IntentRule.canSee(patientId: appointment.patientId, doctorId: appointment.doctorId, actor: actor)
                && (status == nil || appointment.status == status)
                && (doctorId == nil || actor.role != .admin || appointment.doctorId == doctorId)
                && (patientId == nil || actor.role != .admin || appointment.patientId == patientId)
                && (from.map { appointment.start >= $0 } ?? true)
                && (to.map { appointment.start < $0 } ?? true)
        }
        guard actor.role == .patient else { return kept }
        return kept.sorted { ($0.appointment.start, $0.appointment.id) > ($1.appointment.start, $1.appointment.id) }
    }
}
