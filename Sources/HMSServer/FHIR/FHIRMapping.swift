import Foundation
import HMSSyncCore
import HMSWebSupport

/// HMS rows as FHIR R4 resources, in one place (docs/fhir.md). Diagnosis, treatment and the
/// visit's reason are never mapped: they are clinical notes and free text this read-only face
/// does not share; the cancel reason is the one text, as R4's `cancelationReason.text`.
enum FHIRMapping {
    static let version = "4.0.1"

    /// HMS status ↔ FHIR `Appointment.status` (CONTRACT.md §9.5).
    static let statusCodes: [AppointmentStatus: String] = [
        .booked: "booked", .completed: "fulfilled", .cancelled: "cancelled", .noShow: "noshow",
    ]

    static func status(fhirCode: String) -> AppointmentStatus? {
        statusCodes.first { $0.value == fhirCode }?.key
    }

    static func appointment(_ appointment: Appointment) -> JSONValue {
        var resource: [String: JSONValue] = [
            "resourceType": "Appointment", "id": .string(appointment.id),
            "status": .string(statusCodes[appointment.status] ?? "booked"),
            "start": .string(RFC3339.format(appointment.start)), "end": .string(RFC3339.format(appointment.end)),
            "minutesDuration": .number(appointment.end.timeIntervalSince(appointment.start) / 60),
            "created": .string(RFC3339.format(appointment.createdAt)),
            "slot": [reference("Slot", slotId(doctorId: appointment.doctorId, start: appointment.start))],
            "participant": [
                participant(reference("Practitioner", appointment.doctorId, display: appointment.doctor.name)),
                participant(reference("Patient", appointment.patientId, display: appointment.patient.name)),
            ],
        ]
        if appointment.status == .cancelled, let reason = appointment.cancelReason, !reason.isEmpty {
            resource["cancelationReason"] = ["text": .string(reason)]
        }
        return .object(resource)
    }

    static func practitioner(_ doctor: UserRecord) -> JSONValue {
        var resource: [String: JSONValue] = [
            "resourceType": "Practitioner", "id": .string(doctor.id), "active": .bool(!doctor.blacklisted && !doctor.disabled),
            "name": [["text": .string(doctor.name)]],
        ]
        if let specialty = doctor.specialty, !specialty.isEmpty {
            resource["qualification"] = [["code": ["text": .string(specialty)]]]
        }
        return .object(resource)
    }

    static func patient(_ patient: UserRecord) -> JSONValue {
        ["resourceType": "Patient", "id": .string(patient.id), "active": .bool(!patient.disabled),
         "name": [["text": .string(patient.name)]]]
    }

    /// One Schedule per doctor, under the doctor's id.
    static func schedule(_ doctor: UserRecord) -> JSONValue {
        ["resourceType": "Schedule", "id": .string(doctor.id), "active": .bool(!doctor.blacklisted && !doctor.disabled),
         "actor": [reference("Practitioner", doctor.id, display: doctor.name)]]
    }

    static func slot(doctorId: String, _ slot: Slot) -> JSONValue {
        ["resourceType": "Slot", "id": .string(slotId(doctorId: doctorId, start: slot.start)),
         "schedule": reference("Schedule", doctorId), "status": .string(slot.free ? "free" : "busy"),
         "start": .string(RFC3339.format(slot.start)), "end": .string(RFC3339.format(slot.end))]
    }

    /// `{doctorId}.{YYYYMMDDTHHMMSSZ}` of the slot's start.
    static func slotId(doctorId: String, start: Date) -> String {
        "\(doctorId).\(RFC3339.format(start).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: ""))"
    }

    static func reference(_ type: String, _ id: String, display: String? = nil) -> JSONValue {
        var value: [String: JSONValue] = ["reference": .string("\(type)/\(id)")]
        if let display, !display.isEmpty { value["display"] = .string(display) }
        return .object(value)
    }

    private static func participant(_ actor: JSONValue) -> JSONValue {
        ["actor": actor, "status": "accepted"]
    }
}
