import Foundation
import HMSSyncCore
import Testing

@Suite("IntentRule: who may send which intent, then the shape of its fields")
struct IntentRuleTests {
    static let admin = Actor(userId: "00000000-0000-0000-0000-00000000000a", role: .admin)
    static let doctor = Actor(userId: "00000000-0000-0000-0000-00000000000d", role: .doctor)
    static let patient = Actor(userId: "00000000-0000-0000-0000-00000000000b", role: .patient)

    static let appointmentId = "6F9619FF-8B86-D011-B42D-00C04FC964FF"
    static let doctorId = "11111111-2222-3333-4444-555555555555"
    static let otherPatient = "99999999-8888-7777-6666-555555555555"

    static func book(patientId: String? = nil, id: String = appointmentId, reason: String? = nil) -> BookIntent {
        BookIntent(appointmentId: id, doctorId: doctorId, start: at(10).addingTimeInterval(0.7), reason: reason, patientId: patientId)
    }

    @Test("booking, per role",
          arguments: [
              (doctor, book(patientId: otherPatient), "FORBIDDEN"),
              (patient, book(), "ok"),
              (patient, book(patientId: otherPatient), "ok"),
              (admin, book(), "VALIDATION patientId"),
              (admin, book(patientId: "not-a-uuid"), "VALIDATION patientId"),
              (admin, book(patientId: otherPatient), "ok"),
              (patient, book(id: "nope"), "VALIDATION id"),
              (patient, book(reason: String(repeating: "r", count: 1_001)), "VALIDATION reason"),
              (patient, book(reason: String(repeating: "r", count: 1_000)), "ok"),
              (doctor, book(id: "nope"), "FORBIDDEN"),
          ])
    func authorizeBook(actor: Actor, intent: BookIntent, expected: String) {
        do throws(DomainError) {
            let checked = try IntentRule.authorize(intent, by: actor)
            #expect(expected == "ok")
            #expect(checked.appointmentId == Self.appointmentId.lowercased())
            #expect(checked.start == at(10))
            // a patient books for themself; an admin for the patient named
            #expect(checked.patientId == (actor.role == .patient ? actor.userId : intent.patientId?.lowercased()))
        } catch {
            let field = error.details["field"].map { value -> String in
                if case .string(let text) = value { return " " + text }
                return ""
            } ?? ""
            #expect(error.code.rawValue + field == expected)
        }
    }

    @Test("cancelling: patients and admins, not doctors",
          arguments: [(admin, "ok"), (patient, "ok"), (doctor, "FORBIDDEN")])
    func authorizeCancel(actor: Actor, expected: String) {
        let intent = CancelIntent(appointmentId: Self.appointmentId, reason: "better")
        #expect(outcome { _ = try IntentRule.authorize(intent, by: actor) } == expected)
    }

    @Test("completing: doctors only",
          arguments: [(admin, "FORBIDDEN"), (patient, "FORBIDDEN"), (doctor, "ok")])
    func authorizeComplete(actor: Actor, expected: String) {
        let intent = CompleteIntent(appointmentId: Self.appointmentId, diagnosis: "flu", treatment: "rest")
        #expect(outcome { _ = try IntentRule.authorize(intent, by: actor) } == expected)
    }

    @Test("completion notes must hold text, at most 4,000 characters",
          arguments: [
              ("flu", "rest", "ok"),
              ("", "rest", "diagnosis"),
              ("   \n", "rest", "diagnosis"),
              ("flu", "", "treatment"),
              (String(repeating: "d", count: 4_000), String(repeating: "t", count: 4_000), "ok"),
              (String(repeating: "d", count: 4_001), "rest", "diagnosis"),
              ("flu", String(repeating: "t", count: 4_001), "treatment"),
          ])
    func notes(diagnosis: String, treatment: String, expected: String) {
        let intent = CompleteIntent(appointmentId: Self.appointmentId, diagnosis: diagnosis, treatment: treatment)
        do throws(DomainError) {
            _ = try IntentRule.authorize(intent, by: Self.doctor)
            #expect(expected == "ok")
        } catch {
            #expect(error.code == .validation)
            #expect(error.details["field"] == .string(expected))
        }
    }

    @Test("who sees an appointment",
          arguments: [
              (admin, true), (doctor, true), (patient, true),
              (Actor(userId: "other-doctor", role: .doctor), false), (Actor(userId: "other-patient", role: .patient), false),
          ])
    func canSee(actor: Actor, expected: Bool) {
        #expect(IntentRule.canSee(patientId: Self.patient.userId, doctorId: Self.doctor.userId, actor: actor) == expected)
    }
}
