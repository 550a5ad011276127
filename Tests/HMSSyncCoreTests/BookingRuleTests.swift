import Foundation
import HMSSyncCore
import Testing

/// One way a booking can break a rule; each case bends the good facts in one place.
enum Breach: String, CaseIterable, Sendable {
    case unknownDoctor, unknownPatient, blacklisted, outside, inPast, slotTaken, patientBusy

    func apply(to facts: inout BookingFacts, start: inout Date) {
        switch self {
        case .unknownDoctor: facts.doctorExists = false
        case .unknownPatient: facts.patientExists = false
        case .blacklisted: facts.doctorBlacklisted = true
        case .outside: start = start.addingTimeInterval(15 * 60)
        case .inPast: facts.now = at(12)
        case .slotTaken: facts.doctorBusy = [span((9, 30), (10, 30))]
        case .patientBusy: facts.patientBusy = [span((9, 45), (10, 15))]
        }
    }

    /// The code the contract names for this breach; the order of `allCases` is the contract's order.
    var code: String {
        switch self {
        case .unknownDoctor, .unknownPatient: "NOT_FOUND"
        case .blacklisted: "DOCTOR_UNAVAILABLE"
        case .outside: "OUTSIDE_AVAILABILITY"
        case .inPast: "IN_PAST"
        case .slotTaken: "SLOT_TAKEN"
        case .patientBusy: "PATIENT_BUSY"
        }
    }
}

@Suite("BookingRule: the first broken rule in the contract's order answers")
struct BookingRuleTests {
    /// A doctor with 09:00–12:00 in 30-minute slots, nothing booked, the clock at 08:00.
    static var goodFacts: BookingFacts {
        BookingFacts(
            doctorExists: true, doctorBlacklisted: false, patientExists: true,
            windows: [window((9, 0), (12, 0), slot: 30)], doctorBusy: [], patientBusy: [], now: at(8))
    }

    static func decide(_ breaches: [Breach]) -> String {
        var facts = goodFacts
        var start = at(10)
        for breach in breaches { breach.apply(to: &facts, start: &start) }
        let result: String
        do throws(DomainError) {
            let slot = try BookingRule.decide(start: start, facts: facts)
            result = slot == TimeRange(start: start, end: start + 1_800) ? "ok" : "wrong slot \(slot)"
        } catch {
            result = error.code.rawValue
        }
        return result
    }

    @Test("good facts book the slot [start, start + slotMinutes)")
    func good() {
        #expect(Self.decide([]) == "ok")
    }

    @Test("each rule alone", arguments: Breach.allCases)
    func alone(breach: Breach) {
        #expect(Self.decide([breach]) == breach.code)
    }

    /// Every pair of breaches: the one earlier in the contract's order wins.
    static let pairs: [(Breach, Breach)] = Breach.allCases.enumerated().flatMap { index, first in
        Breach.allCases.dropFirst(index + 1).map { (first, $0) }
    }

    @Test("two broken rules: the earlier one answers", arguments: pairs)
    func pair(first: Breach, second: Breach) {
        #expect(Self.decide([second, first]) == first.code)
    }

    @Test("an unknown doctor is named before an unknown patient")
    func doctorBeforePatient() {
        var facts = Self.goodFacts
        facts.doctorExists = false
        facts.patientExists = false
        #expect(throws: DomainError.notFound("doctor")) { try BookingRule.decide(start: at(10), facts: facts) }
        facts.doctorExists = true
        #expect(throws: DomainError.notFound("patient")) { try BookingRule.decide(start: at(10), facts: facts) }
    }

    @Test("every rule broken at once: NOT_FOUND")
    func all() {
        #expect(Self.decide(Breach.allCases.reversed()) == "NOT_FOUND")
    }

    @Test("a booking at the clock's own second is IN_PAST; one second earlier books")
    func pastBoundary() {
        var facts = Self.goodFacts
        facts.now = at(10)
        #expect(outcome { _ = try BookingRule.decide(start: at(10), facts: facts) } == "IN_PAST")
        facts.now = at(10).addingTimeInterval(-1)
        #expect(outcome { _ = try BookingRule.decide(start: at(10), facts: facts) } == "ok")
    }

    static let stored = BookIntent(appointmentId: "a", doctorId: "d", start: at(10), reason: "cough", patientId: "p")

    @Test("a re-sent booking is the same when doctor, patient, start and reason match",
          arguments: [
              (stored, true),
              (BookIntent(appointmentId: "a", doctorId: "d", start: at(10).addingTimeInterval(0.4), reason: "cough", patientId: "p"), true),
              (BookIntent(appointmentId: "a", doctorId: "d2", start: at(10), reason: "cough", patientId: "p"), false),
              (BookIntent(appointmentId: "a", doctorId: "d", start: at(10, 30), reason: "cough", patientId: "p"), false),
              (BookIntent(appointmentId: "a", doctorId: "d", start: at(10), reason: "fever", patientId: "p"), false),
              (BookIntent(appointmentId: "a", doctorId: "d", start: at(10), reason: "cough", patientId: "q"), false),
          ])
    func sameBooking(intent: BookIntent, expected: Bool) {
        #expect(
            BookingRule.isSameBooking(
                intent, storedDoctorId: "d", storedPatientId: "p", storedStart: at(10), storedReason: "cough") == expected)
    }

    @Test("no reason and an empty reason are the same")
    func emptyReason() {
        let intent = BookIntent(appointmentId: "a", doctorId: "d", start: at(10), reason: nil, patientId: "p")
        #expect(BookingRule.isSameBooking(intent, storedDoctorId: "d", storedPatientId: "p", storedStart: at(10), storedReason: ""))
    }
}
