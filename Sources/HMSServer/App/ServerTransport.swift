import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import NIOCore
import NIOSSL

/// How `hms-server` speaks to clients: HTTP/1.1 that closes a connection silent for
/// `idleTimeout` seconds or whose request has not fully arrived `idleTimeout` seconds after its
/// head, over TLS (1.2 or later) when a certificate and key are set.
enum ServerTransport {
    static func builder(_ config: Config) throws -> HTTPServerBuilder {
        let timeout = TimeAmount.seconds(Int64(config.idleTimeout))
        let http = HTTPServerBuilder.http1(configuration: .init(
            additionalChannelHandlers: [RequestReadDeadline(timeout: timeout)], idleTimeout: timeout))
        guard let certPath = config.tlsCert, let keyPath = config.tlsKey else { return http }
        return try .tls(http, tlsConfiguration: tlsConfiguration(certPath: certPath, keyPath: keyPath))
    }

    /// The server's TLS settings, checked now so a bad file stops the start with one line.
    static func tlsConfiguration(certPath: String, keyPath: String) throws -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certPath)
        } catch {
            throw ConfigError(setting: "HMS_TLS_CERT", problem: "cannot read a PEM certificate from \(certPath)")
        }
        guard !chain.isEmpty else {
            throw ConfigError(setting: "HMS_TLS_CERT", problem: "\(certPath) holds no PEM certificate")
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        } catch {
            throw ConfigError(setting: "HMS_TLS_KEY", problem: "cannot read an unencrypted PEM private key from \(keyPath)")
        }
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        tls.minimumTLSVersion = .tlsv12
        do {
            _ = try NIOSSLContext(configuration: tls)
        } catch {
            throw ConfigError(setting: "HMS_TLS_KEY", problem: "does not fit the certificate in \(certPath)")
        }
        return tls
    }
}
