import Foundation

/// The `args` of each mutation name, and the intent they carry.
public enum IntentArgs {
    struct Book: Codable {
        let appointmentId: String
        let doctorId: String
        let start: Date
        let reason: String?
        let patientId: String?
    }

    struct Cancel: Codable {
        let appointmentId: String
        let reason: String?
    }

    struct Complete: Codable {
        let appointmentId: String
        let diagnosis: String?
        let treatment: String?
    }

    struct Reschedule: Codable {
        let appointmentId: String
        let newAppointmentId: String
        let start: Date
        let reason: String?
    }

    /// The longest mutation name the server reads; a longer one is unknown without a look.
    public static let maxNameBytes = 32

    /// The refusal of a name that is not a known intent. It never repeats the name.
    public static let unknownName = DomainError.validation(field: "name", "the mutation name is not a known intent")

    /// The intent a mutation carries, or `VALIDATION` for an unknown name or bad args.
    /// Read straight from the JSON value: push applies hundreds of these per request.
    public static func intent(name: String, args: JSONValue) throws(DomainError) -> Intent {
        guard name.utf8.count <= maxNameBytes else { throw unknownName }
        guard case .object(let fields) = args else {
            throw DomainError.validation(field: "args", "the mutation's args must be an object")
        }
        func text(_ key: String) throws(DomainError) -> String {
            guard case .string(let value) = fields[key] else {
                throw DomainError.validation(field: "args.\(key)", "\(key) is required and must be a string")
            }
            return value
        }
        func optionalText(_ key: String) throws(DomainError) -> String? {
            switch fields[key] {
            case nil, .null?: return nil
            case .string(let value)?: return value
            default: throw DomainError.validation(field: "args.\(key)", "\(key) must be a string")
            }
        }
        func time(_ key: String) throws(DomainError) -> Date {
            guard let date = RFC3339.parse(try text(key)) else {
                throw DomainError.validation(field: "args.\(key)", "\(key) must be an RFC 3339 time")
            }
            return date
        }
        switch name {
        case "book":
            let start = try time("start")
            return .book(BookIntent(appointmentId: try text("appointmentId"), doctorId: try text("doctorId"), start: start,
                                    reason: try optionalText("reason"), patientId: try optionalText("patientId")))
        case "cancel":
            return .cancel(CancelIntent(appointmentId: try text("appointmentId"), reason: try optionalText("reason")))
        case "complete":
            return .complete(CompleteIntent(appointmentId: try text("appointmentId"),
                                            diagnosis: try optionalText("diagnosis") ?? "",
                                            treatment: try optionalText("treatment") ?? ""))
        case "reschedule":
            return .reschedule(RescheduleIntent(
                appointmentId: try text("appointmentId"), newAppointmentId: try text("newAppointmentId"),
                start: try time("start"), reason: try optionalText("reason")))
        default:
            throw unknownName
        }
    }

    /// The args of an intent, as the outbox stores and push sends them.
    public static func args(of intent: Intent) -> JSONValue {
        // Encoding these plain structs cannot fail.
        switch intent {
        case .book(let book):
            return (try? JSONValue(encoding: Book(appointmentId: book.appointmentId, doctorId: book.doctorId,
                                                  start: book.start, reason: book.reason, patientId: book.patientId))) ?? .null
        case .cancel(let cancel):
            return (try? JSONValue(encoding: Cancel(appointmentId: cancel.appointmentId, reason: cancel.reason))) ?? .null
        case .complete(let complete):
            return (try? JSONValue(encoding: Complete(appointmentId: complete.appointmentId,
                                                      diagnosis: complete.diagnosis, treatment: complete.treatment))) ?? .null
        case .reschedule(let reschedule):
            return (try? JSONValue(encoding: Reschedule(
                appointmentId: reschedule.appointmentId, newAppointmentId: reschedule.newAppointmentId,
                start: reschedule.start, reason: reschedule.reason))) ?? .null
        }
    }
}
