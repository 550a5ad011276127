import Foundation

// The rows a pull carries, written key by key in UTF-8 byte order; each writes the keys its
// `Encodable` conformance writes (an absent `Doctor.email` is left out, an absent appointment
// note is `null`), which `CanonicalWriterTests` checks against the encoder.

extension Appointment: CanonicalRow {
    public func write(to writer: inout CanonicalWriter) {
        writer.openObject()
        writer.key("cancelReason"); writer.string(cancelReason)
        writer.key("createdAt"); writer.date(createdAt)
        writer.key("diagnosis"); writer.string(diagnosis)
        writer.key("doctor")
        writer.openObject()
        writer.key("id"); writer.string(doctor.id)
        writer.key("name"); writer.string(doctor.name)
        writer.key("specialty"); writer.string(doctor.specialty)
        writer.closeObject()
        writer.key("doctorId"); writer.string(doctorId)
        writer.key("end"); writer.date(end)
        writer.key("id"); writer.string(id)
        writer.key("patient")
        writer.openObject()
        writer.key("id"); writer.string(patient.id)
        writer.key("name"); writer.string(patient.name)
        writer.closeObject()
        writer.key("patientId"); writer.string(patientId)
        writer.key("reason"); writer.string(reason)
        writer.key("start"); writer.date(start)
        writer.key("status"); writer.string(status.rawValue)
        writer.key("treatment"); writer.string(treatment)
        writer.key("updatedAt"); writer.date(updatedAt)
        writer.closeObject()
    }
}

extension BusyRow: CanonicalRow {
    public func write(to writer: inout CanonicalWriter) {
        writer.openObject()
        writer.key("doctorId"); writer.string(doctorId)
        writer.key("end"); writer.date(end)
        writer.key("id"); writer.string(id)
        writer.key("start"); writer.date(start)
        writer.closeObject()
    }
}

extension AvailabilityWindow: CanonicalRow {
    public func write(to writer: inout CanonicalWriter) {
        writer.openObject()
        writer.key("doctorId"); writer.string(doctorId)
        writer.key("end"); writer.date(end)
        writer.key("id"); writer.string(id)
        writer.key("slotMinutes"); writer.int(slotMinutes)
        writer.key("start"); writer.date(start)
        writer.closeObject()
    }
}

extension User: CanonicalRow {
    public func write(to writer: inout CanonicalWriter) {
        writer.openObject()
        writer.key("email"); writer.string(email)
        writer.key("id"); writer.string(id)
        writer.key("name"); writer.string(name)
        writer.key("role"); writer.string(role.rawValue)
        writer.closeObject()
    }
}

extension Doctor: CanonicalRow {
    public func write(to writer: inout CanonicalWriter) {
        writer.openObject()
        writer.key("blacklisted"); writer.bool(blacklisted)
        if let email { writer.key("email"); writer.string(email) }
        writer.key("id"); writer.string(id)
        writer.key("name"); writer.string(name)
        writer.key("specialty"); writer.string(specialty)
        writer.closeObject()
    }
}
