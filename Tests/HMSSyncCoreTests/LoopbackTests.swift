import Foundation
import HMSSyncCore
import Testing

@Suite("Loopback hosts and IP literals, read with Foundation only")
struct LoopbackTests {
    @Test("loopback is localhost, 127.0.0.0/8 and ::1 (also mapped): plain HTTP and SMTP may go there", arguments: [
        ("localhost", true), ("LOCALHOST", true), ("localhost.", true), ("127.0.0.1", true), ("127.255.0.9", true),
        ("::1", true), ("[::1]", true), ("0:0:0:0:0:0:0:1", true), ("::ffff:127.0.0.1", true), ("::FFFF:7f00:1", true),
        ("0:0:0:0:0:ffff:127.1.2.3", true),
        ("128.0.0.1", false), ("10.0.0.1", false), ("0.0.0.0", false), ("::", false), ("::2", false), ("::ffff:10.0.0.1", false),
        ("::127.0.0.1", false), ("127.1", false), ("127.0.0.01", false), ("0127.0.0.1", false), ("127.0.0.1.", false),
        ("127.0.0.256", false), ("localhost.example.org", false), ("example.org", false), ("", false), ("[::1", false),
        ("::1%lo", false), ("1::1::1", false), ("127.0.0.1:80", false),
    ])
    func loopback(host: String, isLoopback: Bool) {
        #expect(Loopback.contains(host) == isLoopback)
    }

    @Test("IP literals read as inet_pton reads them (the libc call the core no longer makes)", arguments: [
        "1.2.3.4", "255.255.255.255", "0.0.0.0", "256.1.1.1", "01.2.3.4", "1.2.3", "1.2.3.4.5", "1..3.4", " 1.2.3.4", "1.2.3.4 ",
        "+1.2.3.4", "1.2.3.-4", "١.2.3.4",
        "::", "::1", "1::", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9", "1:2:3:4::5:6:7:8",
        "1::2::3", ":::1", ":1::", "1::2:", "1:2:3:4:5:6:1.2.3.4", "::1.2.3.4", "1.2.3.4::", "::ffff:1.2.3.4",
        "1:2:3:4:5:6::1.2.3.4", "::1.2.3.04", "12345::", "fffff::1", "g::1", "0x1::", "+1::", "::FFFF:127.0.0.1", "FE80::1",
        "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3", "1:2", "",
    ])
    func agreesWithInetPton(text: String) {
        #expect(IPAddressText.v4(text) == Self.pton(AF_INET, text, size: 4), "IPv4")
        #expect(IPAddressText.v6(text) == Self.pton(AF_INET6, text, size: 16), "IPv6")
    }

    /// What libc's `inet_pton` reads from `text`, or nil.
    static func pton(_ family: Int32, _ text: String, size: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: 16)
        return inet_pton(family, text, &bytes) == 1 ? Array(bytes.prefix(size)) : nil
    }
}
