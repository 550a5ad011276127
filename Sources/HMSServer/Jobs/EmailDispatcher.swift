import Foundation
import Logging
import ServiceLifecycle

/// Sends queued escalation mail, oldest first; a failure waits with exponential backoff
/// (`retryBase`, 30 s by default, doubling, at most an hour) before the next attempt. At-least-once: a crash between the
/// SMTP server's acceptance and the sent mark resends, with the same Message-ID. Every server
/// may run it: a pass claims its batch for `claimLease` first, so two dispatchers never hold the
/// same message at once.
struct EmailDispatcher: Service {
    /// Messages one pass claims; each send may take up to the mailer's 30 s timeout.
    static let claimBatch = 10
    /// How long a claim holds: longer than the batch's slowest possible sending. Mail claimed by a
    /// server that died is sent by another after this.
    static let claimLease: TimeInterval = 600

    let store: any ServerStore
    let mailer: SMTPMailer
    let from: String
    let clock: AppClock
    let telemetry: Telemetry
    let pollInterval: Duration
    /// Seconds before the first retry; each later one waits twice as long.
    let retryBase: TimeInterval
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully {
            await dispatchDue()
            try? await gracefulSleep(pollInterval)
        }
    }

    /// One pass over the due mail, a claimed batch at a time; between messages a graceful shutdown
    /// stops it (what it claimed and did not send waits out its lease).
    func dispatchDue() async {
        do {
            while true {
                let claimed = try await store.claimDueEmails(now: clock.now(), limit: Self.claimBatch, lease: Self.claimLease)
                for email in claimed {
                    if Task.isShuttingDownGracefully { return }
                    await deliver(email)
                }
                if claimed.count < Self.claimBatch { break }
            }
            telemetry.set("hms_mail_queued", try await store.queuedEmailCount())
        } catch {
            logger.error("mail dispatch failed to read the outbox", metadata: ["error": "\(type(of: error))"])
        }
    }

    private func deliver(_ email: QueuedEmail) async {
        let mail = OutgoingMail(from: from, to: email.recipient, subject: email.subject, body: email.body,
                                messageId: email.messageId, date: clock.now())
        do {
            try await mailer.send(mail)
            try await store.markEmailSent(id: email.id, now: clock.now())
            telemetry.count("hms_mail_sent_total")
        } catch {
            let backoff = min(3_600, retryBase * pow(2, Double(min(email.attempts, 10))))
            try? await store.markEmailFailed(id: email.id, error: "\(error)", retryAt: clock.now().addingTimeInterval(backoff))
            telemetry.count("hms_mail_failed_total")
            logger.warning("mail not accepted; will retry", metadata: ["email_id": "\(email.id)", "retry_in_s": "\(Int(backoff))"])
        }
    }
}
