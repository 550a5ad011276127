import Foundation
import HMSSyncCore
import Testing
@testable import HMSServer

/// Issue 12: a pull page is written by hand (`OutgoingPullPage.json`), not by `JSONEncoder`. Its
/// shape is the contract's (§6): a put carries `entity`, `op` and `row`; a delete `entity`, `op`
/// and `id`; `checksum` only when the page is the last.
@Suite("Pull pages written by hand keep the contract's shape")
struct PullPageBodyTests {
    static let penalty = Penalty(
        id: "p1", patientId: "pat\"1", appointmentId: "a1", doctorId: "d1", reason: Penalty.noShowReason,
        createdAt: Date(timeIntervalSince1970: 1_800_000_000))

    @Test func aPenaltyRowIsTheCanonicalBytesOfWhatTheEncoderWrites() throws {
        #expect(Self.penalty.canonicalBytes == Array(try CanonicalJSON.data(encoding: Self.penalty)))
    }

    @Test func aLastPageCarriesPutsDeletesAndTheChecksum() {
        let page = OutgoingPullPage(
            cursor: "c/1", hasMore: false, lastMutationId: 7, reset: true,
            changes: [OutgoingChange(entity: "penalty", id: "p1", row: Self.penalty),
                      OutgoingChange(entity: "busy", id: "b1", row: nil)],
            checksum: "00ff")
        #expect(String(decoding: page.json, as: UTF8.self) == """
            {"changes":[{"entity":"penalty","op":"put","row":{"appointmentId":"a1","createdAt":"2027-01-15T08:00:00Z",\
            "doctorId":"d1","id":"p1","patientId":"pat\\"1","reason":"NO_SHOW"}},{"entity":"busy","id":"b1","op":"delete"}],\
            "checksum":"00ff","cursor":"c/1","hasMore":false,"lastMutationId":7,"reset":true}
            """)
    }

    @Test func aPageWithMoreToComeHasNoChecksumKey() throws {
        let page = OutgoingPullPage(cursor: "c", hasMore: true, lastMutationId: 0, reset: false, changes: [], checksum: nil)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(page.json)) as? [String: Any])
        #expect(Set(object.keys) == ["changes", "cursor", "hasMore", "lastMutationId", "reset"])
    }
}
