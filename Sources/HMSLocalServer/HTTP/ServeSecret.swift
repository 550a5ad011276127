import Foundation

/// The secret `hms-sync serve` prints in its URL, made anew at every start: 32 random bytes as
/// 64 hexadecimal digits. It is the browser's only credential, so it never goes to a log.
package struct ServeSecret: Sendable {
    package let text: String

    package init() {
        var generator = SystemRandomNumberGenerator()
        text = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// Whether `candidate` is the secret, in time that does not depend on where they differ.
    func matches(_ candidate: Substring) -> Bool {
        let given = Array(candidate.utf8)
        let expected = Array(text.utf8)
        guard given.count == expected.count else { return false }
        return zip(given, expected).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
