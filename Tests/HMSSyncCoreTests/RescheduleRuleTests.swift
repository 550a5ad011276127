import Foundation
import HMSSyncCore
import Testing

@Suite("CONTRACT §9.8: the reschedule intent's first checks and its args")
struct RescheduleRuleTests {
    static let oldId = "6F9619FF-8B86-D011-B42D-00C04FC964FF"
    static let newId = "11111111-2222-3333-4444-555555555555"

    static func move(newId: String = newId, reason: String? = nil) -> RescheduleIntent {
        RescheduleIntent(appointmentId: oldId, newAppointmentId: newId, start: at(10).addingTimeInterval(0.4), reason: reason)
    }

    @Test("who may move an appointment is who may cancel it; then the fields",
          arguments: [
              (IntentRuleTests.doctor, move(newId: "nope"), "FORBIDDEN"),
              (IntentRuleTests.patient, move(), "ok"),
              (IntentRuleTests.admin, move(), "ok"),
              (IntentRuleTests.patient, move(newId: "nope"), "VALIDATION newAppointmentId"),
              (IntentRuleTests.patient, move(reason: String(repeating: "r", count: 1_001)), "VALIDATION reason"),
              (IntentRuleTests.patient, move(reason: "bell\u{7}"), "VALIDATION reason"),
          ])
    func authorize(actor: Actor, intent: RescheduleIntent, expected: String) {
        do throws(DomainError) {
            let checked = try IntentRule.authorize(intent, by: actor)
            #expect(expected == "ok")
            #expect(checked.appointmentId == Self.oldId.lowercased() && checked.newAppointmentId == Self.newId.lowercased())
            #expect(checked.start == at(10))
        } catch {
            let field = error.details["field"].map { if case .string(let name) = $0 { " \(name)" } else { "" } } ?? ""
            #expect("\(error.code.rawValue)\(field)" == expected)
        }
    }

    @Test("the mutation `reschedule` carries {appointmentId, newAppointmentId, start, reason?} and reads back the same")
    func args() throws {
        let intent = Intent.reschedule(RescheduleIntent(appointmentId: Self.oldId, newAppointmentId: Self.newId, start: at(10), reason: "later"))
        let args = IntentArgs.args(of: intent)
        #expect(intent.name == "reschedule" && intent.appointmentId == Self.oldId)
        #expect(try IntentArgs.intent(name: "reschedule", args: args) == intent)
        guard case .object(let fields) = args else { Issue.record("args are not an object"); return }
        #expect(Set(fields.keys) == ["appointmentId", "newAppointmentId", "start", "reason"])
        var missing = fields
        missing["newAppointmentId"] = nil
        #expect(outcome { _ = try IntentArgs.intent(name: "reschedule", args: .object(missing)) } == "VALIDATION")
    }

    @Test("the new appointment is the old one's doctor and patient at the new start; no reason keeps the old one's")
    func booking() {
        let old = Appointment(
            id: Self.oldId, patientId: "p", doctorId: "d", start: at(9), end: at(9, 30), status: .booked, reason: "cough",
            diagnosis: nil, treatment: nil, cancelReason: nil, createdAt: at(1), updatedAt: at(1),
            doctor: .init(id: "d", name: "", specialty: ""), patient: .init(id: "p", name: ""))
        let kept = RescheduleRuleTests.move().booking(replacing: old)
        #expect(kept.doctorId == "d" && kept.patientId == "p" && kept.reason == "cough" && kept.appointmentId == Self.newId)
        #expect(RescheduleRuleTests.move(reason: "new").booking(replacing: old).reason == "new")
    }
}
