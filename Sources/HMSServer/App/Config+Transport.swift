import Foundation
import HMSSyncCore

extension Config {
    /// Whether the server speaks HTTPS (a certificate and a key are set).
    var usesTLS: Bool { tlsCert != nil && tlsKey != nil }

    /// Whether mail may leave only over TLS: `HMS_SMTP_REQUIRE_TLS` when set, else true unless
    /// the SMTP host is loopback.
    var smtpRequiresTLS: Bool {
        if let smtpRequireTLS { return smtpRequireTLS }
        guard let smtpURL, let host = Loopback.host(of: smtpURL) else { return true }
        return !Loopback.contains(host)
    }

    /// Reads and checks the transport settings: TLS files both or neither, no plain HTTP on a
    /// non-loopback address unless allowed, and the SMTP TLS requirement.
    mutating func resolveTransport(_ value: (String) -> String?) throws {
        tlsCert = value("HMS_TLS_CERT")
        tlsKey = value("HMS_TLS_KEY")
        switch (tlsCert, tlsKey) {
        case (nil, .some):
            throw ConfigError(
                setting: "HMS_TLS_CERT", problem: "is missing: HMS_TLS_CERT and HMS_TLS_KEY go together (HMS_TLS_KEY is set)")
        case (.some, nil):
            throw ConfigError(
                setting: "HMS_TLS_KEY", problem: "is missing: HMS_TLS_CERT and HMS_TLS_KEY go together (HMS_TLS_CERT is set)")
        default:
            break
        }
        allowPlainHTTP = try Self.boolean("HMS_ALLOW_PLAIN_HTTP", value) ?? false
        if !usesTLS && !allowPlainHTTP && !Loopback.contains(host) {
            throw ConfigError(
                setting: "HMS_HOST",
                problem: "'\(host.prefix(64))' is not a loopback address and TLS is off: set HMS_TLS_CERT and HMS_TLS_KEY, "
                    + "or pass --allow-plain-http (HMS_ALLOW_PLAIN_HTTP=true) behind a TLS-terminating proxy")
        }
        smtpRequireTLS = try Self.boolean("HMS_SMTP_REQUIRE_TLS", value)
    }

    /// A yes/no setting (`true`/`false`, `1`/`0`, `yes`/`no`, `on`/`off`), or nil when unset.
    static func boolean(_ name: String, _ value: (String) -> String?) throws -> Bool? {
        guard let text = value(name) else { return nil }
        switch text.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: throw ConfigError(setting: name, problem: "'\(text.prefix(16))' is not true or false")
        }
    }
}
