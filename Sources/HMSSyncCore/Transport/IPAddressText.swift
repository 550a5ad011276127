import Foundation

/// Reads IP address literals as `inet_pton` does, without libc: IPv4 as four decimal parts
/// (0–255, no leading zeros), IPv6 as eight hex groups with at most one `::` (standing for at
/// least one group) and an optional IPv4 tail. No zone ids, no brackets.
package enum IPAddressText {
    /// The 4 bytes of a dotted-quad IPv4 literal, or nil.
    package static func v4(_ text: some StringProtocol) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.utf8.count), part.utf8.allSatisfy(isDecimal),
                part.utf8.count == 1 || part.utf8.first != UInt8(ascii: "0"),
                let value = UInt8(part)
            else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    /// The 16 bytes of an IPv6 literal, or nil.
    package static func v6(_ text: some StringProtocol) -> [UInt8]? {
        let text = Substring(text)
        guard let gap = text.range(of: "::") else {
            guard let bytes = groups(text, last: true), bytes.count == 16 else { return nil }
            return bytes
        }
        guard let head = groups(text[..<gap.lowerBound], last: false),
            let tail = groups(text[gap.upperBound...], last: true),
            head.count + tail.count <= 14
        else { return nil }
        return head + [UInt8](repeating: 0, count: 16 - head.count - tail.count) + tail
    }

    /// The bytes of colon-separated hex groups (an empty text is none); the last group may be an
    /// IPv4 literal when `last` says this part ends the address.
    private static func groups(_ text: Substring, last: Bool) -> [UInt8]? {
        if text.isEmpty { return [] }
        let fields = text.split(separator: ":", omittingEmptySubsequences: false)
        var bytes: [UInt8] = []
        for (index, field) in fields.enumerated() {
            if last && index == fields.count - 1 && field.contains(".") {
                guard let v4 = v4(field) else { return nil }
                bytes += v4
            } else {
                guard (1...4).contains(field.utf8.count), field.utf8.allSatisfy(isHex), let value = UInt16(field, radix: 16)
                else { return nil }
                bytes += [UInt8(value >> 8), UInt8(value & 0xFF)]
            }
        }
        return bytes
    }

    private static func isDecimal(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    private static func isHex(_ byte: UInt8) -> Bool {
        isDecimal(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }
}
