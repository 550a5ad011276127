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

    /// The intent a mutation carries, or `VALIDATION` for an unknown name or bad args.
    public static func intent(name: String, args: JSONValue) throws(DomainError) -> Intent {
        do {
            switch name {
            case "book":
                let book = try args.decode(Book.self)
                return .book(BookIntent(appointmentId: book.appointmentId, doctorId: book.doctorId, start: book.start,
                                        reason: book.reason, patientId: book.patientId))
            case "cancel":
                let cancel = try args.decode(Cancel.self)
                return .cancel(CancelIntent(appointmentId: cancel.appointmentId, reason: cancel.reason))
            case "complete":
                let complete = try args.decode(Complete.self)
                return .complete(CompleteIntent(appointmentId: complete.appointmentId,
                                                diagnosis: complete.diagnosis ?? "", treatment: complete.treatment ?? ""))
            default:
                throw DomainError.validation(field: "name", "unknown mutation name '\(name)'")
            }
        } catch let error as DomainError {
            throw error
        } catch {
            throw DomainError.validation(field: "args", "the mutation's args do not fit '\(name)'")
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
        }
    }
}
