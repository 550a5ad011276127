import ArgumentParser
import Foundation
import HMSSyncCore

/// Records an intent on the replica (works offline) and reports the appointment as the local
/// view shows it.
func recordIntent(_ intent: Intent, common: CommonOptions) throws -> Appointment {
    let replica = try common.openReplica()
    _ = try requireSession(replica)
    do {
        return try replica.record(intent, now: Date())
    } catch let error as ReplicaError {
        throw CLIFailure.replica(error)
    }
}

struct Book: CLICommand {
    static let configuration = CommandConfiguration(abstract: "Record a booking; prints the new appointment's id.")
    @OptionGroup var common: CommonOptions
    @Option(help: "The doctor's id") var doctor: String
    @Option(help: "The slot's start, RFC 3339") var start: String
    @Option(help: "Why the patient comes") var reason: String?
    @Option(help: "The patient's id (admins only)") var patient: String?
    @Flag(help: "When the slot is taken, book the first free alternative instead") var firstAlternative = false

    func execute() async throws {
        var intent = BookIntent(
            appointmentId: RandomID.make(), doctorId: try parseId(doctor, option: "--doctor"),
            start: try parseTime(start, option: "--start"), reason: reason,
            patientId: try patient.map { try parseId($0, option: "--patient") })
        let appointment: Appointment
        do {
            appointment = try recordIntent(.book(intent), common: common)
        } catch let failure as CLIFailure where firstAlternative && failure.code == ErrorCode.slotTaken.rawValue {
            guard let first = failure.alternatives.first else { throw failure }
            Output.message("that slot is taken; booking the first alternative, \(Output.time(first.start))")
            intent.start = first.start
            appointment = try recordIntent(.book(intent), common: common)
        }
        if common.json { Output.json(LocalAppointment(appointment: appointment, pending: true)) } else { Output.line(appointment.id) }
    }
}

struct Reschedule: CLICommand {
    static let configuration = CommandConfiguration(
        abstract: "Record a move of a booked appointment to another start; prints the new appointment's id.")
    @OptionGroup var common: CommonOptions
    @Argument(help: "The appointment's id") var id: String
    @Option(help: "The new slot's start, RFC 3339") var start: String
    @Option(help: "Why the patient comes (default: the old appointment's reason)") var reason: String?

    func execute() async throws {
        let intent = RescheduleIntent(
            appointmentId: try parseId(id, option: "ID"), newAppointmentId: RandomID.make(),
            start: try parseTime(start, option: "--start"), reason: reason)
        let appointment = try recordIntent(.reschedule(intent), common: common)
        if common.json { Output.json(LocalAppointment(appointment: appointment, pending: true)) } else { Output.line(appointment.id) }
    }
}

struct Cancel: CLICommand {
    static let configuration = CommandConfiguration(abstract: "Record a cancellation.")
    @OptionGroup var common: CommonOptions
    @Argument(help: "The appointment's id") var id: String
    @Option(help: "Why") var reason: String?

    func execute() async throws {
        let appointment = try recordIntent(.cancel(CancelIntent(appointmentId: try parseId(id, option: "ID"), reason: reason)), common: common)
        if common.json { Output.json(LocalAppointment(appointment: appointment, pending: true)) } else { Output.message("cancellation recorded for \(appointment.id)") }
    }
}

struct Complete: CLICommand {
    static let configuration = CommandConfiguration(abstract: "Record a completion with the doctor's notes.")
    @OptionGroup var common: CommonOptions
    @Argument(help: "The appointment's id") var id: String
    @Option(help: "Diagnosis") var diagnosis: String
    @Option(help: "Treatment") var treatment: String

    func execute() async throws {
        let appointment = try recordIntent(
            .complete(CompleteIntent(appointmentId: try parseId(id, option: "ID"), diagnosis: diagnosis, treatment: treatment)),
            common: common)
        if common.json { Output.json(LocalAppointment(appointment: appointment, pending: true)) } else { Output.message("completion recorded for \(appointment.id)") }
    }
}
