import Foundation
import HMSSyncCore
import Testing

@Suite("Retry-After is honoured within bounds")
struct RetryPolicyTests {
    @Test("seconds are taken as given, clamped to 0...300; what is not a finite number leaves the wait to the backoff",
          arguments: [
              ("5", 5.0), ("1.5", 1.5), (" 7 ", 7.0), ("0", 0.0), ("300", 300.0), ("301", 300.0), ("100000", 300.0),
              ("-3", 0.0), ("nan", nil), ("inf", nil), ("Wed, 21 Oct 2015 07:28:00 GMT", nil), ("", nil),
          ] as [(String, Double?)])
    func clamped(header: String, wait: Double?) {
        #expect(RetryPolicy().retryAfter(header) == wait)
    }

    @Test("no header, no wait of its own")
    func absent() {
        #expect(RetryPolicy().retryAfter(nil) == nil)
    }
}
