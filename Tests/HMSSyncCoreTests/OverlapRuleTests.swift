import Foundation
import HMSSyncCore
import Testing

@Suite("OverlapRule: active appointments of one doctor or patient never overlap")
struct OverlapRuleTests {
    static let booked = span((10, 0), (10, 30))

    @Test("spans overlap unless they only touch or are apart",
          arguments: [
              (span((9, 30), (10, 0)), false),
              (span((10, 30), (11, 0)), false),
              (span((9, 0), (9, 30)), false),
              (span((10, 0), (10, 30)), true),
              (span((9, 45), (10, 15)), true),
              (span((10, 15), (10, 45)), true),
              (span((10, 10), (10, 20)), true),
              (span((9, 0), (12, 0)), true),
          ])
    func overlaps(other: TimeRange, expected: Bool) {
        #expect(other.overlaps(Self.booked) == expected)
        #expect(Self.booked.overlaps(other) == expected)
    }

    @Test("SLOT_TAKEN for the doctor's time, then PATIENT_BUSY for the patient's",
          arguments: [
              ([TimeRange](), [TimeRange](), "ok"),
              ([booked], [], "SLOT_TAKEN"),
              ([], [booked], "PATIENT_BUSY"),
              ([booked], [booked], "SLOT_TAKEN"),
              ([span((9, 30), (10, 0)), span((10, 30), (11, 0))], [span((10, 30), (11, 0))], "ok"),
          ])
    func check(doctorBusy: [TimeRange], patientBusy: [TimeRange], expected: String) {
        #expect(outcome { try OverlapRule.check(Self.booked, doctorBusy: doctorBusy, patientBusy: patientBusy) } == expected)
    }

    @Test("a range contains its start but not its end")
    func contains() {
        #expect(Self.booked.contains(at(10, 0)))
        #expect(Self.booked.contains(at(10, 29)))
        #expect(!Self.booked.contains(at(10, 30)))
        #expect(!Self.booked.contains(at(9, 59)))
    }
}
