import Foundation
import Testing

/// The contract's JSON shapes (CONTRACT.md §8), checked key by key.
enum Shape {
    static let user: Set = ["id", "name", "email", "role"]
    static let doctor: Set = ["id", "name", "specialty", "blacklisted"]
    static let slot: Set = ["start", "end", "free"]
    static let appointment: Set = [
        "id", "patientId", "doctorId", "start", "end", "status", "reason", "diagnosis", "treatment", "cancelReason",
        "createdAt", "updatedAt", "doctor", "patient",
    ]
    static let localAppointment = appointment.union(["pending"])
    static let outboxItem: Set = ["mutationId", "name", "args", "createdAt"]
    static let rejection: Set = ["mutationId", "name", "args", "code", "message", "rejectedAt", "alternatives"]
    static let syncReport: Set = ["pushed", "applied", "rejected", "pulled", "pending"]
    static let status: Set = [
        "server", "user", "clientId", "pending", "rejections", "lastSyncAt", "lastMutationId", "recovered", "lastRecoveryAt",
        "repairs", "lastRepairAt",
    ]
    static let error: Set = ["error", "code"]
    /// An error whose refusal has details (`alternatives` of a `SLOT_TAKEN`, CONTRACT.md §9.2).
    static let errorWithDetails = error.union(["details"])

    /// Records an issue unless `object` has exactly `keys`, and every time in it is a contract time.
    static func check(_ object: [String: Any], _ keys: Set<String>, _ what: String,
                      sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(Set(object.keys) == keys, "\(what) has keys \(object.keys.sorted())", sourceLocation: sourceLocation)
        for key in ["start", "end", "createdAt", "updatedAt", "rejectedAt"] {
            if let text = object[key] as? String {
                #expect(isContractTime(text), "\(what).\(key) = \(text) is not UTC with whole seconds and Z",
                        sourceLocation: sourceLocation)
            }
        }
        if keys == localAppointment || keys == appointment {
            check(object["doctor"] as? [String: Any] ?? [:], ["id", "name", "specialty"], "\(what).doctor",
                  sourceLocation: sourceLocation)
            check(object["patient"] as? [String: Any] ?? [:], ["id", "name"], "\(what).patient", sourceLocation: sourceLocation)
        }
        if keys == status, let user = object["user"] as? [String: Any] {
            check(user, Self.user, "\(what).user", sourceLocation: sourceLocation)
        }
    }

    static func checkAll(_ array: [[String: Any]], _ keys: Set<String>, _ what: String,
                         sourceLocation: SourceLocation = #_sourceLocation) {
        for (index, object) in array.enumerated() {
            check(object, keys, "\(what)[\(index)]", sourceLocation: sourceLocation)
        }
    }

    /// `2026-11-25T10:00:00Z`.
    static func isContractTime(_ text: String) -> Bool {
        text.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z/) != nil
    }
}

extension CLIResult {
    /// Checks the exit status and, under `--json`, that the error is `{error, code, details?}` with `code`.
    func expectFailure(_ exit: Int32, code: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(status == exit, "\(self)", sourceLocation: sourceLocation)
        if arguments.contains("--json") {
            let object = self.object
            Shape.check(object, object["details"] == nil ? Shape.error : Shape.errorWithDetails, "error of \(arguments.first ?? "")",
                        sourceLocation: sourceLocation)
            #expect(object["code"] as? String == code, "\(self)", sourceLocation: sourceLocation)
        }
    }

    func expectSuccess(sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(status == 0, "\(self)", sourceLocation: sourceLocation)
    }
}
