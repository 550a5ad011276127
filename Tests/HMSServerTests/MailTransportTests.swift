import Foundation
import HMSSyncCore
import HMSTestSupport
import Testing
@testable import HMSServer

@Suite("CONTRACT §9.1 mail transport: TLS required off loopback, CRLF-only bodies, one-line headers")
struct MailTransportTests {
    @Test("HMS_SMTP_REQUIRE_TLS defaults to true unless the SMTP host is loopback; an explicit value wins", arguments: [
        ("smtp://mail.example.com:587", nil, true),
        ("smtp://10.0.0.5:25", nil, true),
        ("smtp://127.0.0.1:2525", nil, false),
        ("smtp://localhost:25", nil, false),
        ("smtp://[::1]:25", nil, false),
        ("smtp://127.0.0.1:2525", "true", true),
        ("smtp://mail.example.com:587", "false", false),
    ] as [(String, String?, Bool)])
    func requireTLSDefault(url: String, setting: String?, required: Bool) throws {
        let config = try Config.resolve { ["HMS_SMTP_URL": url, "HMS_SMTP_REQUIRE_TLS": setting][$0] ?? nil }
        #expect(config.smtpRequiresTLS == required)
    }

    @Test("a bad HMS_SMTP_REQUIRE_TLS value names itself")
    func badRequireTLS() {
        #expect { try Config.resolve { $0 == "HMS_SMTP_REQUIRE_TLS" ? "maybe" : nil } } throws: { error in
            (error as? ConfigError)?.setting == "HMS_SMTP_REQUIRE_TLS"
        }
    }

    @Test("with TLS required and an SMTP server that offers no STARTTLS, nothing is sent and the mail stays queued",
          arguments: TestBackend.all)
    func plainServerGetsNothing(backend: TestBackend) async throws {
        let server = try await TestServer(backend) { config in
            config.clinicName = EmailTests.clinic
            config.mailFrom = EmailTests.sender
            config.mailPollInterval = 1
            config.mailRetryBase = 1
            config.smtpRequireTLS = true
        }
        let booked = try await EmailTests.book(server)
        let sink = try SMTPSink()
        try await sink.start()
        defer { sink.stop() }
        let database = server.database

        try await EmailTests.sweptLive(server, booked, smtpURL: sink.url) { _, _ in
            let tried = try await eventually(within: .seconds(10)) {
                try await database.scalar("SELECT count(*) FROM email_outbox WHERE attempts >= 1 AND last_error IS NOT NULL") == 2
            }
            #expect(tried, "both messages were tried and refused for want of TLS")
        }
        #expect(try sink.messages().isEmpty)
        #expect(try await database.scalar("SELECT count(*) FROM email_outbox WHERE sent_at IS NULL") == 2)
    }

    @Test("bare CR and LF in a body reach the SMTP server as CRLF, and no header value can start a new header")
    func lineEnds() async throws {
        let sink = try SMTPSink()
        try await sink.start()
        defer { sink.stop() }
        let mail = OutgoingMail(
            from: "a@example.com", to: "b@example.com", subject: "hello\r\nBcc: c@example.com", body: "one\rtwo\nthree\r\nfour\n\rfive",
            messageId: "<ends@example.com>", date: Date())
        try await SMTPMailer(url: sink.url, requireTLS: false, timeoutSeconds: 10).send(mail)
        let received = try #require(try sink.messages().first)
        #expect(received.body.components(separatedBy: "\r\n").prefix(6) == ["one", "two", "three", "four", "", "five"])
        let scalars = Array(received.body.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            if scalar == "\r" { #expect(index + 1 < scalars.count && scalars[index + 1] == "\n", "a bare CR at \(index)") }
            if scalar == "\n" { #expect(index > 0 && scalars[index - 1] == "\r", "a bare LF at \(index)") }
        }
        #expect(received.headers["bcc"] == nil)
        #expect(received.envelopeTo == ["b@example.com"])
    }
}
