import Foundation
import HMSSyncCore

/// Whose active appointments a span query reads.
enum AppointmentParty: Sendable {
    case doctor, patient
}

/// The appointment facts and writes of the intents (`IntentFlow`).
protocol AppointmentRows {
    /// Holds the appointment id `id` (booked or not yet) until the transaction ends; a flow takes
    /// it before it reads anything about that appointment, so decisions on one id (a booking and
    /// its retries, a cancel, a completion, the no-show sweep) run one after another even on
    /// several servers. A backend whose writers are serialized anyway holds nothing.
    func lockAppointment(id: String) throws
    /// Keeps the doctor's windows as they are until the transaction ends; a booking takes it
    /// before it reads them. Bookings share it; adding or removing a window waits for them.
    func lockWindowsForBooking(doctorId: String) throws
    /// The appointment with its doctor's and patient's names, if it exists.
    func appointment(id: String) throws -> Appointment?
    func user(id: String) throws -> UserRecord?
    /// A doctor's windows that overlap `range`.
    func windows(doctorId: String, overlapping range: TimeRange) throws -> [AvailabilityWindow]
    /// Spans of the active appointments of one doctor or patient that overlap `range`.
    func activeSpans(of party: AppointmentParty, id: String, near range: TimeRange) throws -> [TimeRange]
    /// A booking's two parties, as `user(id:)` answers each (a backend may read both at once).
    func parties(doctorId: String, patientId: String) throws -> (doctor: UserRecord?, patient: UserRecord?)
    /// `activeSpans` of the doctor and of the patient (a backend may read both at once).
    func activeSpans(doctorId: String, patientId: String, near range: TimeRange) throws
        -> (doctor: [TimeRange], patient: [TimeRange])
    /// Inserts a `BOOKED` appointment and answers it as stored, with its names. An overlap the
    /// database's own guard catches (another writer, another server) throws `SLOT_TAKEN` or
    /// `PATIENT_BUSY`.
    func insertBooked(_ intent: BookIntent, patientId: String, slot: TimeRange, now: Date) throws -> Appointment
    func setCancelled(id: String, reason: String?, now: Date) throws
    func setCompleted(id: String, diagnosis: String?, treatment: String?, now: Date) throws
}

extension AppointmentRows {
    func parties(doctorId: String, patientId: String) throws -> (doctor: UserRecord?, patient: UserRecord?) {
        (try user(id: doctorId), try user(id: patientId))
    }

    func activeSpans(doctorId: String, patientId: String, near range: TimeRange) throws
        -> (doctor: [TimeRange], patient: [TimeRange])
    {
        (try activeSpans(of: .doctor, id: doctorId, near: range), try activeSpans(of: .patient, id: patientId, near: range))
    }
}
