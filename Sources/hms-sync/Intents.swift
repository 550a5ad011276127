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

    func execute() async throws {
        let intent = BookIntent(
            appointmentId: UUID().uuidString.lowercased(), doctorId: try parseId(doctor, option: "--doctor"),
            start: try parseTime(start, option: "--start"), reason: reason,
            patientId: try patient.map { try parseId($0, option: "--patient") })
        let appointment = try recordIntent(.book(intent), common: common)
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
