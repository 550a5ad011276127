import Foundation
import HMSSyncCore
import HMSTestSupport
import HTTPTypes
import HummingbirdTesting
import Testing
@testable import HMSServer

@Suite("CONTRACT §5: escalation mail over SMTP, against a real SMTP server on 127.0.0.1")
struct EmailTests {
    static let clinic = "Sunrise Clinic"
    static let sender = "desk@sunrise.example"

    /// Two patients, each with one booking two days ahead, and the time at which both are overdue.
    struct Booked: Sendable {
        let patients: [Account]
        let appointmentIds: [String]
        let overdueAt: Date
    }

    static func server(_ backend: TestBackend) async throws -> TestServer {
        try await TestServer(backend) { config in
            config.clinicName = clinic
            config.mailFrom = sender
            config.mailPollInterval = 1
            config.mailRetryBase = 1
        }
    }

    static func book(_ server: TestServer) async throws -> Booked {
        try await server.run { api in
            let practice = try await api.practice()
            let second = try await api.registerPatient("Sam Second")
            let first = try await api.bookOK(
                practice.patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(0), reason: "private-reason-1")
            let other = try await api.bookOK(
                second.accessToken, doctorId: practice.doctor.id, start: practice.slot(1), reason: "private-reason-2")
            return Booked(
                patients: [practice.patient, second], appointmentIds: [first.id, other.id],
                overdueAt: other.end.addingTimeInterval(TimeInterval(NoShowTests.grace) + 60))
        }
    }

    /// Restarts at the overdue time with `smtpURL` (nil: unset) and the mail dispatcher running,
    /// sweeps through the endpoint and runs `body`.
    static func sweptLive(
        _ server: TestServer, _ booked: Booked, smtpURL: String?, _ body: @Sendable (API, String) async throws -> Void
    ) async throws {
        try await server.restarted(at: booked.overdueAt) { $0.smtpURL = smtpURL }.run(.live) { api in
            let admin = try await api.adminToken()
            #expect(try await api.sweepOK(admin) == SweepCounts(2, 2, 2))
            try await body(api, admin)
        }
    }

    @Test("one message per no-show, to the patient, with the clinic in the subject and a Message-ID per penalty",
          arguments: TestBackend.all)
    func deliveredOnce(backend: TestBackend) async throws {
        let server = try await Self.server(backend)
        let booked = try await Self.book(server)
        let sink = try SMTPSink()
        try await sink.start()
        defer { sink.stop() }

        try await Self.sweptLive(server, booked, smtpURL: sink.url) { api, admin in
            #expect(try await sink.waitFor(2))
            let penalties = try await api.all("/v1/admin/penalties", token: admin, of: PenaltyItem.self)
            // a few more dispatcher passes must not send anything again
            try await Task.sleep(for: .seconds(2.5))
            let messages = try sink.messages()
            #expect(messages.count == 2)

            for patient in booked.patients {
                let mine = messages.filter { $0.envelopeTo == [patient.user.email] }
                #expect(mine.count == 1, "one message to \(patient.user.email)")
                guard let mail = mine.first else { continue }
                #expect(mail.headers["to"] == patient.user.email)
                #expect(mail.headers["from"] == Self.sender)
                #expect(mail.envelopeFrom == Self.sender)
                #expect(mail.headers["subject"] == "Missed appointment at \(Self.clinic)")
                let penalty = try #require(penalties.first { $0.patientId == patient.id })
                #expect(mail.headers["message-id"] == "<penalty-\(penalty.id)@sunrise.example>")
                #expect(mail.body.contains(patient.user.name))
                #expect(!mail.body.contains("private-reason"), "no clinical text in mail")
            }

            let metrics = try await api.get("/metrics").text
            #expect(PrometheusText(metrics).value("hms_mail_sent_total") == 2)
        }
        let database = server.database
        #expect(try await database.scalar("SELECT count(*) FROM email_outbox WHERE sent_at IS NOT NULL") == 2)
    }

    @Test("with the SMTP server down at first, each message is delivered exactly once after it comes up",
          arguments: TestBackend.all)
    func retriedUntilAccepted(backend: TestBackend) async throws {
        let server = try await Self.server(backend)
        let booked = try await Self.book(server)
        let sink = try SMTPSink()  // not listening yet
        defer { sink.stop() }
        let database = server.database

        try await Self.sweptLive(server, booked, smtpURL: sink.url) { api, _ in
            let refused = try await eventually(within: .seconds(10)) {
                try await database.scalar("SELECT count(*) FROM email_outbox WHERE attempts >= 1 AND last_error IS NOT NULL") == 2
            }
            #expect(refused, "both messages were tried and refused while nothing listened")
            #expect(try await database.scalar("SELECT count(*) FROM email_outbox WHERE sent_at IS NOT NULL") == 0)

            try await sink.start()
            #expect(try await sink.waitFor(2))
            try await Task.sleep(for: .seconds(3))
            let messages = try sink.messages()
            #expect(messages.count == 2)
            #expect(Set(messages.compactMap { $0.headers["message-id"] }).count == 2)
            #expect(Set(messages.flatMap(\.envelopeTo)) == Set(booked.patients.map(\.user.email)))

            let metrics = PrometheusText(try await api.get("/metrics").text)
            #expect((metrics.value("hms_mail_failed_total") ?? 0) >= 2)
            #expect(metrics.value("hms_mail_sent_total") == 2)
        }
        #expect(try await database.scalar("SELECT count(*) FROM email_outbox WHERE sent_at IS NOT NULL") == 2)
    }

    @Test("a restarted dispatcher does not send delivered mail again", arguments: TestBackend.all)
    func noResendAfterRestart(backend: TestBackend) async throws {
        let server = try await Self.server(backend)
        let booked = try await Self.book(server)
        let sink = try SMTPSink()
        try await sink.start()
        defer { sink.stop() }

        try await Self.sweptLive(server, booked, smtpURL: sink.url) { _, _ in
            let delivered = try await sink.waitFor(2)
            #expect(delivered)
        }
        try await server.restarted(at: booked.overdueAt) { $0.smtpURL = sink.url }.run(.live) { api in
            try await Task.sleep(for: .seconds(3))
            #expect(try await api.sweepOK(try await api.adminToken()) == SweepCounts(0, 0, 0))
            try await Task.sleep(for: .seconds(1.5))
        }
        #expect(try sink.messages().count == 2)
    }

    @Test("with no SMTP URL the mail stays queued and the server is ready", arguments: TestBackend.all)
    func queuedWithoutSMTP(backend: TestBackend) async throws {
        let server = try await Self.server(backend)
        let booked = try await Self.book(server)
        let database = server.database
        try await Self.sweptLive(server, booked, smtpURL: nil) { api, _ in
            try await Task.sleep(for: .seconds(2))
            #expect(try await api.get("/readyz").status == .ok)
            #expect(try await api.get("/healthz").status == .ok)
        }
        #expect(try await database.scalar("SELECT count(*) FROM email_outbox WHERE sent_at IS NULL AND attempts = 0") == 2)
    }

    @Test("mail settings: HMS_MAIL_RETRY_BASE defaults to 30 s, takes 1...3600, and a bad value names itself")
    func mailSettings() throws {
        #expect(try Config.resolve { _ in nil }.mailRetryBase == 30)
        #expect(try Config.resolve { $0 == "HMS_MAIL_RETRY_BASE" ? "5" : nil }.mailRetryBase == 5)
        for bad in ["0", "-1", "abc", "3601"] {
            #expect { try Config.resolve { $0 == "HMS_MAIL_RETRY_BASE" ? bad : nil } } throws: { error in
                (error as? ConfigError)?.setting == "HMS_MAIL_RETRY_BASE"
            }
        }
        #expect { try Config.resolve { $0 == "HMS_SMTP_URL" ? "mail.example.com:25" : nil } } throws: { error in
            (error as? ConfigError)?.setting == "HMS_SMTP_URL"
        }
        let config = try Config.resolve { ["HMS_SMTP_URL": "smtp://127.0.0.1:2525", "HMS_MAIL_FROM": "desk@clinic.example"][$0] }
        #expect(config.smtpURL == "smtp://127.0.0.1:2525")
        #expect(config.mailSender == "desk@clinic.example" && config.mailDomain == "clinic.example")
    }

    @Test("the mailer sends a body with leading dots unchanged (SMTP dot-stuffing happens once)")
    func leadingDots() async throws {
        let sink = try SMTPSink()
        try await sink.start()
        defer { sink.stop() }
        let mail = OutgoingMail(
            from: "a@example.com", to: "b@example.com", subject: "dots", body: ".one\n..two\nthree\n.",
            messageId: "<dots@example.com>", date: Date())
        try await SMTPMailer(url: sink.url, requireTLS: false, timeoutSeconds: 10).send(mail)
        let received = try #require(try sink.messages().first)
        #expect(received.body.components(separatedBy: "\r\n").prefix(4) == [".one", "..two", "three", "."])
    }
}
