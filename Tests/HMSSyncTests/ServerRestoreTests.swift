import Foundation
import GRDB
import HMSSyncCore
import HMSTestSupport
import Testing

/// CONTRACT.md §9.9, the client's side: the journal of applied intents, and what a device does
/// when the server it syncs with has gone back in time.
@Suite struct ServerRestoreTests {
    /// A doctor with four free slots tomorrow, and a signed-in patient's device that has synced.
    static func setting(_ server: LiveServer) async throws -> (device: Device, doctor: Account, slots: [Date]) {
        let admin = try await server.clinic.admin()
        let doctor = try await server.clinic.addDoctor("Grey", admin: admin)
        let start = TestTime.tomorrow.addingTimeInterval(9 * 3600)
        try await server.clinic.addWindow(doctor, start: start, slots: 4)
        let device = try await Device.signIn(try await server.clinic.addPatient("Alice"), at: server)
        try await device.sync()
        return (device, doctor, (0..<4).map { start.addingTimeInterval(TimeInterval($0 * 1800)) })
    }

    @Test(arguments: TestBackend.all)
    func appliedIntentsAreJournaledAndPrunedThirtyDaysAfter(backend: TestBackend) async throws {
        try await LiveServer.run(backend) { server in
            let (device, doctor, slots) = try await Self.setting(server)
            _ = try device.book(doctor.id, at: slots[0])
            try await device.sync()
            #expect(try device.replica.journalCount() == 1)
            #expect(try device.replica.outbox().isEmpty, "the outbox forgets what the journal keeps")
            let thirtyOneDaysAgo = Int64(Date().timeIntervalSince1970) - 31 * 86_400
            try device.tamper("UPDATE journal SET applied_at = ?", arguments: [thirtyOneDaysAgo])
            _ = try device.book(doctor.id, at: slots[1])
            try await device.sync()
            #expect(try device.replica.journalCount() == 1, "the older entry went; the new one stays")
            let twentyNineDaysAgo = Int64(Date().timeIntervalSince1970) - 29 * 86_400
            try device.tamper("UPDATE journal SET applied_at = ?", arguments: [twentyNineDaysAgo])
            _ = try device.book(doctor.id, at: slots[2])
            try await device.sync()
            #expect(try device.replica.journalCount() == 2)
        }
    }

    @Test(arguments: TestBackend.all)
    func aServerThatLostAppliedWorkWithoutAResetGetsItAgainAndNothingTwice(backend: TestBackend) async throws {
        try await LiveServer.run(backend) { server in
            let (device, doctor, slots) = try await Self.setting(server)
            let kept = try device.book(doctor.id, at: slots[0])
            let lost = try device.book(doctor.id, at: slots[1], reason: "follow-up")
            try await device.sync()
            // the server goes back to before the second booking (its changes stay, so the
            // device's cursor is no news to it: only lastMutationId shows the loss)
            try await server.database.execute("DELETE FROM busy WHERE appointment_id = $1", [.text(lost.id)])
            try await server.database.execute("DELETE FROM appointments WHERE id = $1", [.text(lost.id)])
            try await server.database.execute("DELETE FROM sync_mutations WHERE mutation_id = 2")
            try await server.database.execute("UPDATE sync_clients SET last_mutation_id = 1")

            let report = try await device.sync()
            #expect(report.recovered == 1 && report.applied == 1 && report.rejected == 0)
            let status = try device.replica.status()
            #expect(status.recovered == 1 && status.lastRecoveryAt != nil && status.pending == 0)
            let remote = try await server.clinic.appointments(as: device.account)
            #expect(remote.map(\.id).sorted() == [kept.id, lost.id].sorted())
            #expect(remote.first { $0.id == lost.id }?.reason == "follow-up")
            let again = try await device.sync()
            #expect(again.recovered == 0 && again.pushed == 0)
            #expect(try device.replica.status().recovered == 1)
            #expect(try device.localAppointments().values.allSatisfy { !$0.pending })
        }
    }

    @Test(arguments: TestBackend.all)
    func aCursorBeyondTheServersNewestChangeIsResetAndPendingWorkSurvives(backend: TestBackend) async throws {
        try await LiveServer.run(backend) { server in
            let (device, doctor, slots) = try await Self.setting(server)
            let lost = try device.book(doctor.id, at: slots[0])
            try await device.sync()
            try await server.database.execute("DELETE FROM busy WHERE appointment_id = $1", [.text(lost.id)])
            try await server.database.execute("DELETE FROM appointments WHERE id = $1", [.text(lost.id)])
            try await server.database.execute("DELETE FROM sync_mutations")
            try await server.database.execute("UPDATE sync_clients SET last_mutation_id = 0")
            try await server.database.execute("DELETE FROM changes WHERE entity IN ('appointment', 'busy')")
            let pending = try device.book(doctor.id, at: slots[2])

            let report = try await device.sync()
            #expect(report.recovered == 1 && report.rejected == 0)
            let remote = try await server.clinic.appointments(as: device.account)
            #expect(remote.map(\.id).sorted() == [lost.id, pending.id].sorted())
            #expect(try device.replica.outbox().isEmpty && device.replica.status().recovered == 1)
        }
    }
}
