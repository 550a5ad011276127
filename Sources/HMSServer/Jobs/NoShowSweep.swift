import Foundation

/// The sweep itself, shared by the service and `POST /v1/admin/jobs/no-show`.
struct NoShowSweep: Sendable {
    let store: any ServerStore
    let clock: AppClock
    let grace: TimeInterval
    let mail: EscalationMail
    let telemetry: Telemetry

    func run() async throws -> NoShowSweepResult {
        let result = try await store.sweepNoShows(now: clock.now(), grace: grace, mail: mail)
        telemetry.count("hms_noshow_sweeps_total")
        telemetry.count("hms_noshow_marked_total", by: result.markedNoShow)
        telemetry.count("hms_penalties_created_total", by: result.penaltiesCreated)
        telemetry.count("hms_mail_queued_total", by: result.emailsQueued)
        return result
    }
}
