import Foundation
import HMSSyncCore
import HMSTestSupport
import PostgresNIO
import Testing

@testable import HMSServer

@Suite("PostgreSQL jobs: sweeps, busy expiry and mail claims on two servers never do the same work twice")
struct PostgresJobTests {
    static let mail = EscalationMail(clinicName: "Test Clinic", domain: "hms.test")
    /// Past the end (and the 10-minute grace) of every slot the tests book.
    static let later = PostgresClinic.at(13)

    /// `count` patients, each booked into one of the morning's slots, all overdue at ``later``.
    static func overdue(_ clinic: PostgresClinic, count: Int) async throws -> [String] {
        let (doctor, patients) = try await clinic.practice(patients: count)
        var ids: [String] = []
        for (index, patient) in patients.enumerated() {
            let id = UUID().uuidString.lowercased()
            _ = try await clinic.store.book(
                BookIntent(appointmentId: id, doctorId: doctor, start: PostgresClinic.at(9 + Double(index) / 2), patientId: patient), actor: PostgresClinic.admin,
                now: PostgresStoreTests.now)
            ids.append(id)
        }
        return ids
    }

    @Test("two sweeps at once on two servers: one NO_SHOW, one penalty and one email per overdue appointment")
    func sweepTwice() async throws {
        try await PostgresClinic.run(servers: 2) { clinic in
            _ = try await Self.overdue(clinic, count: 6)
            let sweeps = await PostgresStoreTests.atOnce((0..<4).map { index in
                { @Sendable in
                    try await clinic.stores[index % 2].sweepNoShows(now: Self.later, grace: 600, mail: Self.mail, batch: 2)
                }
            })
            let total = try sweeps.map { try $0.get() }.reduce(NoShowSweepResult(), +)
            #expect(total == NoShowSweepResult(markedNoShow: 6, penaltiesCreated: 6, emailsQueued: 6))
            #expect(try await clinic.count("SELECT count(*) FROM appointments WHERE status = 'NO_SHOW'") == 6)
            #expect(try await clinic.count("SELECT count(DISTINCT appointment_id) FROM penalties") == 6)
            #expect(try await clinic.count("SELECT count(*) FROM penalties") == 6)
            #expect(try await clinic.count("SELECT count(*) FROM email_outbox") == 6)
            #expect(try await clinic.count("SELECT count(*) FROM changes WHERE entity = 'penalty'") == 6)
            let rerun = try await clinic.stores[1].sweepNoShows(now: Self.later, grace: 600, mail: Self.mail, batch: 2)
            #expect(rerun == NoShowSweepResult())

            let metrics = try await clinic.store.noShowMetrics()
            #expect(metrics.totalNoShows == 6 && metrics.noShowsByDoctor.map(\.count) == [6])
            #expect(metrics.penaltiesByPatient.count == 6 && metrics.penaltiesByPatient.allSatisfy { $0.count == 1 })
            var penalties: [Penalty] = []
            var cursor: ListCursor?
            while true {
                let page = try await clinic.store.penalties(patientId: nil, after: cursor, limit: 4)
                penalties += page
                guard let last = page.last, page.count == 4 else { break }
                cursor = ListCursor(key: .int(last.createdAt.epochSeconds), id: last.id)
            }
            #expect(penalties.count == 6 && Set(penalties.map(\.id)).count == 6)
            #expect(penalties.map(\.id) == penalties.map(\.id).sorted(by: >))
        }
    }

    @Test("busy expiry at once on two servers records each ended slot's delete once")
    func expireTwice() async throws {
        try await PostgresClinic.run(servers: 2) { clinic in
            _ = try await Self.overdue(clinic, count: 6)
            let runs = await PostgresStoreTests.atOnce((0..<4).map { index in
                { @Sendable in try await clinic.stores[index % 2].expireBusy(now: Self.later, batch: 2) }
            })
            #expect(try runs.map { try $0.get() }.reduce(0, +) == 6)
            #expect(try await clinic.count("SELECT count(*) FROM busy WHERE NOT ended") == 0)
            #expect(try await clinic.count("SELECT count(*) FROM changes WHERE entity = 'busy' AND deleted") == 6)
            #expect(try await clinic.store.expireBusy(now: Self.later) == 0)
        }
    }

    @Test("mail claims at once on two servers are disjoint; a claim holds its emails for the lease")
    func claimsDisjoint() async throws {
        try await PostgresClinic.run(servers: 2) { clinic in
            _ = try await Self.overdue(clinic, count: 6)
            _ = try await clinic.store.sweepNoShows(now: Self.later, grace: 600, mail: Self.mail)
            let claims = await PostgresStoreTests.atOnce((0..<4).map { index in
                { @Sendable in try await clinic.stores[index % 2].claimDueEmails(now: Self.later, limit: 3, lease: 60) }
            })
            let claimed = try claims.flatMap { try $0.get() }.map(\.id)
            #expect(claimed.count == 6 && Set(claimed).count == 6)
            #expect(try await clinic.store.claimDueEmails(now: Self.later, limit: 10, lease: 60).isEmpty)

            let afterLease = Self.later.addingTimeInterval(61)
            let again = try await clinic.stores[1].claimDueEmails(now: afterLease, limit: 10, lease: 60)
            #expect(Set(again.map(\.id)) == Set(claimed))
            try await clinic.store.markEmailSent(id: claimed[0], now: afterLease)
            try await clinic.store.markEmailFailed(id: claimed[1], error: "421 try later", retryAt: afterLease.addingTimeInterval(3600))
            #expect(try await clinic.store.queuedEmailCount() == 5)
            let next = try await clinic.store.claimDueEmails(now: afterLease.addingTimeInterval(61), limit: 10, lease: 60)
            #expect(Set(next.map(\.id)) == Set(claimed.dropFirst(2)))
            #expect(next.allSatisfy { $0.attempts == 0 && $0.messageId.hasPrefix("<penalty-") })
        }
    }
}
