#if canImport(Glibc)
import Glibc
#endif
#if canImport(CNIOLinux)
// where NIO's `sockaddr_in6` (and so `sin6_addr`) is declared on Linux
import CNIOLinux
#endif
import NIOCore

/// How a client's address is keyed for rate limits.
enum ClientAddress {
    /// IPv4 addresses as they are; IPv6 addresses by their /64 network, since one subscriber
    /// usually holds a whole /64 and could otherwise rotate through 2^64 keys. IPv4-mapped IPv6
    /// addresses count as their IPv4 address.
    static func rateLimitKey(_ address: SocketAddress?) -> String {
        guard let address else { return "local" }
        guard case .v6(let v6) = address else { return address.ipAddress ?? "local" }
        let bytes = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff {
            return bytes[12..<16].map(String.init).joined(separator: ".")
        }
        let network = stride(from: 0, to: 8, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
        return network.joined(separator: ":") + "::/64"
    }
}
