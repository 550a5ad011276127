import Foundation

/// Which hosts stay on this machine: `localhost`, 127.0.0.0/8 and ::1 (also as ::ffff:127.x.y.z).
/// Plain HTTP and plain SMTP are allowed to these alone unless an option says otherwise.
package enum Loopback {
    /// Whether `host` (a name or an address literal, with or without IPv6 brackets) is loopback.
    package static func contains(_ host: String) -> Bool {
        var name = host.lowercased()
        if name.hasPrefix("[") && name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        if name == "localhost" || name == "localhost." { return true }
        if let v4 = IPAddressText.v4(name) { return v4[0] == 127 }
        guard let bytes = IPAddressText.v6(name) else { return false }
        let isLoopback = bytes[0..<15].allSatisfy { $0 == 0 } && bytes[15] == 1
        let isMappedV4Loopback = bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF
            && bytes[12] == 127
        return isLoopback || isMappedV4Loopback
    }

    /// The host part of `url` without IPv6 brackets, or nil when the URL has none.
    package static func host(of url: String) -> String? {
        guard var host = URLComponents(string: url)?.host, !host.isEmpty else { return nil }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host
    }
}
