import Foundation
import HMSSyncCore
import HMSTestSupport
import Testing
@testable import HMSServer

/// CONTRACT.md §9.1 "Busy rows": what a patient's pull tells about other patients' appointments.
@Suite("CONTRACT §9.1: busy rows and started slots")
struct BusyPrivacyTests {
    /// The usual practice plus a second patient ("other") who booked the first slot.
    struct Scene: Sendable {
        let practice: Practice
        let other: Account
        let booking: Appointment

        var patient: Account { practice.patient }
        var slotEnd: Date { booking.end }

        static func make(_ api: API) async throws -> Scene {
            let practice = try await api.practice()
            let other = try await api.registerPatient("Other Patient")
            let booking = try await api.bookOK(other.accessToken, doctorId: practice.doctor.id, start: practice.slot(0))
            return Scene(practice: practice, other: other, booking: booking)
        }
    }

    @Test("another patient's booking is a busy row under a stable id that is not the appointment id",
          arguments: TestBackend.all)
    func busyIdIsDerived(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        let (scene, id) = try await server.run { api in
            let scene = try await Scene.make(api)
            let rows = Self.busy(try await api.pullAll(scene.patient.accessToken))
            try #require(rows.count == 1)
            let id = try #require(rows[0].entityId)
            #expect(rows[0].op == .put)
            #expect(id != scene.booking.id)
            #expect(UUID(uuidString: id)?.uuidString.lowercased() == id)
            #expect(rows[0].row?["start"]?.stringValue == iso(scene.booking.start))

            // the same id on every pull and for every caller
            #expect(Self.busy(try await api.pullAll(scene.patient.accessToken)).map(\.entityId) == [id])
            let third = try await api.registerPatient("Third Patient")
            #expect(Self.busy(try await api.pullAll(third.accessToken)).map(\.entityId) == [id])
            return (scene, id)
        }
        // and after a restart on the same database
        try await server.restarted { _ in }.run { api in
            let token = try await api.login(scene.patient.user.email, scene.patient.password).accessToken
            #expect(Self.busy(try await api.pullAll(token)).map(\.entityId) == [id])
        }
    }

    @Test("a patient's own appointment reaches them as an appointment, not as a busy row", arguments: TestBackend.all)
    func ownAppointmentIsNoBusyRow(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            let own = try await api.bookOK(practice.patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(1))
            let changes = try await api.pullAll(practice.patient.accessToken)
            #expect(changes.filter { $0.entity == "appointment" }.map(\.entityId) == [own.id])
            #expect(Self.busy(changes).isEmpty)

            let other = try await api.registerPatient("Other Patient")
            #expect(Self.busy(try await api.pullAll(other.accessToken)).count == 1)
        }
    }

    @Test("a cancel sends the busy row's delete", arguments: TestBackend.all)
    func cancelDeletes(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let scene = try await Scene.make(api)
            let client = Self.newClient()
            let before = try await api.pull(scene.patient.accessToken, client: client, after: nil)
            let id = try #require(Self.busy(before.changes).first?.entityId)

            _ = try expectOK(try await api.cancel(scene.other.accessToken, scene.booking.id), as: Appointment.self)
            let after = try await api.pull(scene.patient.accessToken, client: client, after: before.cursor)
            #expect(after.changes == [Change(entity: "busy", op: .delete, id: id, row: nil)])
        }
    }

    @Test("a completion during the slot sends no busy change, and a new client learns nothing more",
          arguments: TestBackend.all)
    func completionIsInvisible(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        let scene = try await server.run { api in try await Scene.make(api) }
        try await server.restarted(at: scene.booking.start.addingTimeInterval(60)).run { api in
            let patient = try await api.login(scene.patient.user.email, scene.patient.password).accessToken
            let doctor = try await api.login(scene.practice.doctor.email, scene.practice.doctor.password).accessToken
            let client = Self.newClient()
            let before = try await api.pull(patient, client: client, after: nil)
            let held = Self.busy(before.changes)
            #expect(held.count == 1 && held.first?.op == .put)

            _ = try expectOK(try await api.complete(doctor, scene.booking.id), as: Appointment.self)
            let after = try await api.pull(patient, client: client, after: before.cursor)
            #expect(Self.busy(after.changes).isEmpty)
            #expect(Self.busy(try await api.pullAll(patient)) == held)
        }
    }

    @Test("once the slot has ended, its busy row's delete is recorded once, whatever reruns or servers",
          arguments: TestBackend.all)
    func slotEndDeletes(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run { api in
            let scene = try await Scene.make(api)
            let client = Self.newClient()
            let before = try await api.pull(scene.patient.accessToken, client: client, after: nil)
            let id = try #require(Self.busy(before.changes).first?.entityId)

            try await server.withStore { first in
                try await server.withStore { second in
                    #expect(try await first.expireBusy(now: scene.slotEnd.addingTimeInterval(-1)) == 0)
                    async let one = first.expireBusy(now: scene.slotEnd)
                    async let two = second.expireBusy(now: scene.slotEnd)
                    let recorded = try await one + two
                    #expect(recorded == 1)
                    #expect(try await first.expireBusy(now: scene.slotEnd.addingTimeInterval(3_600)) == 0)
                }
            }

            let after = try await api.pull(scene.patient.accessToken, client: client, after: before.cursor)
            #expect(after.changes == [Change(entity: "busy", op: .delete, id: id, row: nil)])
        }
    }

    @Test("after the slot's end, even before the job runs, a new pull sends the busy row as deleted",
          arguments: TestBackend.all)
    func endedSlotIsNeverPut(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        let scene = try await server.run { api in try await Scene.make(api) }
        try await server.restarted(at: scene.slotEnd.addingTimeInterval(5)).run { api in
            let patient = try await api.login(scene.patient.user.email, scene.patient.password).accessToken
            let rows = Self.busy(try await api.pullAll(patient))
            #expect(rows.count == 1 && rows.allSatisfy { $0.op == .delete })
        }
    }

    @Test("a no-show sends nothing through busy rows", arguments: TestBackend.all)
    func noShowIsInvisible(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        let scene = try await server.run { api in try await Scene.make(api) }
        let later = scene.slotEnd.addingTimeInterval(TimeInterval(server.config.noShowGrace + 60))
        try await server.restarted(at: later).run { api in
            let patient = try await api.login(scene.patient.user.email, scene.patient.password).accessToken
            let admin = try await api.adminToken()
            _ = try await server.withStore { try await $0.expireBusy(now: later) }
            let client = Self.newClient()
            let before = try await api.pull(patient, client: client, after: nil)

            #expect(try await api.sweepOK(admin).markedNoShow == 1)
            let after = try await api.pull(patient, client: client, after: before.cursor)
            #expect(Self.busy(after.changes).isEmpty)
        }
    }

    @Test("admins and doctors pull no busy rows", arguments: TestBackend.all)
    func staffGetNoBusyRows(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let scene = try await Scene.make(api)
            #expect(Self.busy(try await api.pullAll(scene.practice.admin)).isEmpty)
            #expect(Self.busy(try await api.pullAll(scene.practice.doctor.accessToken)).isEmpty)
        }
    }

    @Test("a slot that has started is never free", arguments: TestBackend.all)
    func startedSlotIsTaken(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        let practice = try await server.run { api in try await api.practice() }
        try await server.restarted(at: practice.slot(1).addingTimeInterval(60)).run { api in
            let token = try await api.login(practice.patient.user.email, practice.patient.password).accessToken
            let slots = try await api.page(
                "/v1/doctors/\(practice.doctor.id)/slots?date=\(TestTime.dateString(practice.slot(0)))", token: token,
                of: Slot.self
            ).items
            #expect(slots.count == 6)
            #expect(slots.map(\.free) == [false, false, true, true, true, true])
        }
    }

    static func newClient() -> String { UUID().uuidString.lowercased() }

    static func busy(_ changes: [Change]) -> [Change] { changes.filter { $0.entity == "busy" } }
}

extension API {
    /// The changes `clientId` pulls after `cursor` (from the start when nil), to the end, and
    /// the cursor to go on from.
    fileprivate func pull(_ token: String, client: String, after cursor: String?) async throws
        -> (changes: [Change], cursor: String)
    {
        var changes: [Change] = []
        var cursor = cursor
        while true {
            var uri = "/v1/sync/pull?clientId=\(client)&schemaVersion=1"
            if let cursor { uri += "&cursor=\(cursor)" }
            let page: PullResponse = try expectOK(try await get(uri, token: token))
            changes += page.changes
            cursor = page.cursor
            if !page.hasMore { return (changes, page.cursor) }
        }
    }
}
