import ArgumentParser
import Foundation
import HMSSyncCore

struct Doctors: CLICommand {
    static let configuration = CommandConfiguration(abstract: "The doctor directory, from the replica.")
    @OptionGroup var common: CommonOptions

    func execute() async throws {
        let replica = try common.openReplica()
        _ = try requireSession(replica)
        let doctors = try replica.doctors()
        if common.json { return Output.json(doctors) }
        Output.table(["ID", "NAME", "SPECIALTY", "BLACKLISTED"], doctors.map {
            [$0.id, $0.name, $0.specialty, $0.blacklisted ? "yes" : ""]
        })
    }
}

struct Slots: CLICommand {
    static let configuration = CommandConfiguration(abstract: "A doctor's slots of a day (clinic time zone), from the replica.")
    @OptionGroup var common: CommonOptions
    @Argument(help: "The doctor's id") var doctorId: String
    @Option(help: "The day, YYYY-MM-DD") var date: String

    func execute() async throws {
        let doctor = try parseId(doctorId, option: "DOCTOR_ID")
        // usage errors first: they do not depend on the sign-in
        guard ClinicDay.range(of: date, in: .gmt) != nil else { throw CLIFailure.usage("--date must be YYYY-MM-DD") }
        let replica = try common.openReplica()
        let zone = TimeZone(identifier: try requireSession(replica).clinicTimeZone) ?? .gmt
        guard let day = ClinicDay.range(of: date, in: zone) else { throw CLIFailure.usage("--date must be YYYY-MM-DD") }
        let slots = try replica.slots(doctorId: doctor, day: day)
        if common.json { return Output.json(slots) }
        Output.table(["START", "END", "FREE"], slots.map { [Output.time($0.start), Output.time($0.end), $0.free ? "free" : "taken"] })
    }
}

struct Appointments: CLICommand {
    static let configuration = CommandConfiguration(abstract: "The local view of appointments; pending changes are marked.")
    @OptionGroup var common: CommonOptions
    @Option(help: "BOOKED, COMPLETED, CANCELLED or NO_SHOW") var status: String?

    func execute() async throws {
        var filter: AppointmentStatus?
        if let status {
            guard let value = AppointmentStatus(rawValue: status.uppercased()) else {
                throw CLIFailure.usage("--status must be BOOKED, COMPLETED, CANCELLED or NO_SHOW")
            }
            filter = value
        }
        let replica = try common.openReplica()
        _ = try requireSession(replica)
        let rows = try replica.appointments(status: filter)
        if common.json { return Output.json(rows) }
        Output.table(["ID", "START", "DOCTOR", "PATIENT", "STATUS", ""], rows.map {
            [$0.appointment.id, Output.time($0.appointment.start), $0.appointment.doctor.name, $0.appointment.patient.name,
             $0.appointment.status.rawValue, $0.pending ? "pending" : ""]
        })
    }
}

struct Status: CLICommand {
    static let configuration = CommandConfiguration(abstract: "Server, user, pending intents, last sync, rejections.")
    @OptionGroup var common: CommonOptions

    func execute() async throws {
        let status = try common.openReplica().status()
        if common.json { return Output.json(status) }
        Output.line("server:        \(status.server ?? "-")")
        Output.line("user:          \(status.user.map { "\($0.email) (\($0.role.rawValue))" } ?? "-")")
        Output.line("client id:     \(status.clientId ?? "-")")
        Output.line("pending:       \(status.pending)")
        Output.line("rejections:    \(status.rejections)")
        Output.line("last sync:     \(status.lastSyncAt ?? "never")")
        Output.line("last mutation: \(status.lastMutationId)")
        Output.line("recovered:     \(status.recovered)\(status.lastRecoveryAt.map { " (last \($0))" } ?? "")")
        Output.line("repairs:       \(status.repairs)\(status.lastRepairAt.map { " (last \($0))" } ?? "")")
    }
}

struct Outbox: CLICommand {
    static let configuration = CommandConfiguration(abstract: "Intents waiting to be synced.")
    @OptionGroup var common: CommonOptions

    func execute() async throws {
        let items = try common.openReplica().outbox()
        if common.json { return Output.json(items) }
        Output.table(["ID", "INTENT", "APPOINTMENT", "RECORDED"], items.map {
            [String($0.mutationId), $0.name, $0.args["appointmentId"]?.stringValue ?? "", Output.time($0.createdAt)]
        })
    }
}

struct Rejections: CLICommand {
    static let configuration = CommandConfiguration(abstract: "Intents the server refused, with code and reason.")
    @OptionGroup var common: CommonOptions

    func execute() async throws {
        let items = try common.openReplica().rejections()
        if common.json { return Output.json(items) }
        Output.table(["ID", "INTENT", "APPOINTMENT", "CODE", "WHY", "WHEN", "FREE INSTEAD"], items.map {
            [String($0.mutationId), $0.name, $0.args["appointmentId"]?.stringValue ?? "", $0.code, $0.message,
             Output.time($0.rejectedAt), $0.alternatives.map { Output.time($0.start) }.joined(separator: " ")]
        })
    }
}
