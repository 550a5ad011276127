import Foundation
import HMSSyncCore
import Testing

/// `HMS_REPLICA_KEY` and any other key text: 64 hexadecimal digits or the base64 of 32 bytes.
@Suite("replica keys")
struct ReplicaKeyTests {
    static let hex = String(repeating: "0f1e2d3c4b5a6978", count: 4)

    @Test("64 hex digits (either case) and the base64 of 32 bytes are keys", arguments: [
        hex, hex.uppercased(), " \(hex)\n", Data(repeating: 7, count: 32).base64EncodedString(),
    ])
    func acceptedText(_ text: String) throws {
        _ = try ReplicaKey(text: text)
    }

    @Test("anything else is a malformed key", arguments: [
        "", "secret", String(hex.dropLast()), hex + "0", String(hex.dropLast()) + "g",
        Data(repeating: 7, count: 31).base64EncodedString(), Data(repeating: 7, count: 33).base64EncodedString(),
    ])
    func refusedText(_ text: String) {
        #expect(throws: ReplicaKeyError.malformedKey) { try ReplicaKey(text: text) }
    }

    @Test("hex and base64 of the same bytes are the same key")
    func sameBytes() throws {
        let bytes = Data((0..<32).map { UInt8($0 * 7 & 0xff) })
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let fromHex = try ReplicaKey(text: hex).withUnsafeBytes { Data($0) }
        let fromBase64 = try ReplicaKey(text: bytes.base64EncodedString()).withUnsafeBytes { Data($0) }
        #expect(fromHex == bytes && fromBase64 == bytes)
    }

    @Test("a key never shows its bytes in a description")
    func description() throws {
        let key = try ReplicaKey(text: Self.hex)
        #expect(!"\(key)".contains("0f1e") && !String(reflecting: key).contains("0f1e"))
    }
}
