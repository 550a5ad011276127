import Foundation
import HMSSyncCore
import HMSTestSupport
import Testing

/// CONTRACT.md §6 "Client rules": how the sync engine recovers, and when it stops.
@Suite struct EngineRecoveryTests {
    /// The admin, Dr Cuddy with four slots tomorrow from 13:00, and Hana's synced device.
    static func setting(_ server: LiveServer) async throws -> DeviceClinic {
        try await DeviceClinic.make(server, doctor: "Cuddy", patient: "Hana", hour: 13, slots: 4)
    }

    @Test(arguments: TestBackend.all)
    func aGapMakesTheEngineTakeANewClientIdAndRenumberWithoutDroppingOrDoubling(backend: TestBackend) async throws {
        try await LiveServer.run(backend) { server in
            let setting = try await Self.setting(server)
            let device = setting.device
            let first = try device.book(setting.doctor.id, at: setting.slots[0])
            try await device.sync()
            let oldClient = try #require(try device.replica.status().clientId)

            let second = try device.book(setting.doctor.id, at: setting.slots[1])
            _ = try device.cancel(first.id)
            // The replica's numbering jumps past what the server expects (as after the server
            // forgot a client): the next push is a gap.
            try device.tamper("UPDATE intents SET mutation_id = mutation_id + 5 WHERE state = 'pending'")
            try device.tamper("UPDATE state SET value = CAST(value AS INTEGER) + 5 WHERE key = 'nextMutationId'")
            #expect(try device.replica.outbox().map(\.mutationId) == [7, 8])

            let report = try await device.sync()
            #expect(report.applied == 2 && report.rejected == 0)
            let newClient = try #require(try device.replica.status().clientId)
            #expect(newClient != oldClient)
            #expect(try device.replica.outbox().isEmpty)
            #expect(try device.replica.rejections().isEmpty)
            #expect(try await setting.serverStatuses() == [first.id: .cancelled, second.id: .booked])
            #expect(try device.localAppointments().mapValues(\.appointment.status) == [first.id: .cancelled, second.id: .booked])
            #expect(try device.replica.status().lastMutationId == 2)

            // Numbering goes on from the renumbered intents.
            _ = try device.cancel(second.id)
            #expect(try device.replica.outbox().map(\.mutationId) == [3])
            try await device.sync()
            #expect(try await setting.serverStatuses() == [first.id: .cancelled, second.id: .cancelled])
        }
    }

    @Test(arguments: TestBackend.all)
    func aReplicaRestoredFromABackupRecoversFromAMismatchWithoutASecondEffect(backend: TestBackend) async throws {
        try await LiveServer.run(backend) { server in
            let setting = try await Self.setting(server)
            let device = setting.device
            let first = try device.book(setting.doctor.id, at: setting.slots[0], reason: "first")
            let backupPath = server.replicaPath("backup")
            try device.backup(to: backupPath)
            _ = try device.cancel(first.id)
            try await device.sync()
            #expect(try await setting.serverStatuses() == [first.id: .cancelled])

            // The backup knows only mutation 1 (the booking), pending. Its next intent takes id 2,
            // which the server already holds with other content (the cancel).
            let restored = try Device(name: "restored", account: device.account, path: backupPath)
            let other = try restored.book(setting.doctor.id, at: setting.slots[2], reason: "second")
            #expect(try restored.replica.outbox().map(\.mutationId) == [1, 2])
            let report = try await restored.sync()

            // The booking comes back idempotent (no second appointment, still cancelled), the new
            // one is applied, nothing is rejected or left pending.
            #expect(report.rejected == 0)
            #expect(try restored.replica.outbox().isEmpty)
            #expect(try restored.replica.rejections().isEmpty)
            #expect(try await setting.serverStatuses() == [first.id: .cancelled, other.id: .booked])
            #expect(try restored.localAppointments().mapValues(\.appointment.status) == [first.id: .cancelled, other.id: .booked])
            #expect(try restored.replica.status().clientId != device.replica.status().clientId)
        }
    }

    @Test(arguments: TestBackend.all)
    func anOfflineCancelSyncedAfterTheStartBecomesTooLate(backend: TestBackend) async throws {
        try await LiveServer.run(backend) { server in
            let setting = try await Self.setting(server)
            let device = setting.device
            // A window that opens a few seconds from now, by the server's clock. The lead covers the
            // setup below on a loaded CI machine (3 s once was not enough with every suite running).
            let opening = TestTime.now.addingTimeInterval(10)
            let doctor = try await server.clinic.login(setting.doctor.email, setting.doctor.password)
            try await server.clinic.addWindow(doctor, start: opening, slots: 1, slotMinutes: 5)
            try await device.sync()
            let booked = try device.book(setting.doctor.id, at: opening)
            let report = try await device.sync()
            try #require(report.applied == 1, "the booking must reach the server before the slot starts")

            // The device is offline; its clock says the slot has not started, so the cancel is recorded.
            let cancelled = try device.cancel(booked.id, now: opening.addingTimeInterval(-1))
            #expect(cancelled.status == .cancelled)
            // The device comes back online after the start.
            while Date() < opening.addingTimeInterval(1) { try await Task.sleep(nanoseconds: 100_000_000) }
            let late = try await device.sync()
            #expect(late.rejected == 1)
            #expect(try device.replica.rejections().map(\.code) == ["TOO_LATE"])
            #expect(try device.replica.rejections().first?.name == "cancel")
            #expect(try device.localAppointments()[booked.id]?.appointment.status == .booked)
            #expect(try await setting.serverStatuses() == [booked.id: .booked])
        }
    }

    @Test(arguments: TestBackend.all)
    func anExpiredAccessTokenIsRefreshedOnceAndTheSyncContinues(backend: TestBackend) async throws {
        try await LiveServer.run(backend, accessTTL: 3) { server in
            let setting = try await Self.setting(server)
            let device = setting.device
            let booked = try device.book(setting.doctor.id, at: setting.slots[0])
            let before = try #require(try device.replica.session())
            // Lifetimes count whole seconds: 3 s from the issuing second is over after 4.2 s.
            try await Task.sleep(nanoseconds: 4_200_000_000)

            let report = try await device.sync()
            #expect(report.applied == 1)
            let after = try #require(try device.replica.session())
            #expect(after.refreshToken != before.refreshToken)
            #expect(after.accessToken != before.accessToken)
            #expect(try await setting.serverStatuses() == [booked.id: .booked])
        }
    }

    @Test(arguments: TestBackend.all)
    func aRevokedSessionStopsAndAsksForLogin(backend: TestBackend) async throws {
        try await LiveServer.run(backend) { server in
            let setting = try await Self.setting(server)
            let device = setting.device
            _ = try device.book(setting.doctor.id, at: setting.slots[0])
            let session = try #require(try device.replica.session())
            // The session ends elsewhere (another window, an admin): its refresh family is revoked.
            let logout = try await server.rest.send("POST", "/v1/auth/logout", json: ["refreshToken": session.refreshToken])
            #expect(logout.status == 204)

            do {
                try await device.sync()
                Issue.record("a sync with a revoked session went through")
            } catch ReplicaError.loginNeeded {
            } catch {
                Issue.record("expected loginNeeded, got \(error)")
            }
            #expect(try device.replica.outbox().count == 1, "the intent stays queued for after the login")
            #expect(try await setting.serverStatuses().isEmpty)

            // Logging in again as the same user keeps the outbox, and the intent goes through.
            _ = try await device.engine.login(server: server.url, email: device.account.email, password: device.account.password)
            #expect(try await device.sync().applied == 1)
        }
    }
}
