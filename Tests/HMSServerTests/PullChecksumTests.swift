import Foundation
import HMSSyncCore
import HMSTestSupport
import HTTPTypes
import Testing
@testable import HMSServer

/// CONTRACT.md §9.6: the last page of a pull carries the checksum of everything the caller's
/// scope holds, as a client computes it over the rows it was sent (docs/sync.md "Pull checksums").
@Suite("CONTRACT §9.6: pull checksums")
struct PullChecksumTests {
    /// What a fresh client of `token`'s user holds after pulling to the end, the checksum it
    /// computes over that, and the checksum the last page carried.
    static func freshScope(_ api: API, _ token: String, limit: Int = 1000) async throws
        -> (rows: Int, computed: String, sent: String?)
    {
        let clientId = UUID().uuidString.lowercased()
        var held: [String: (entity: String, id: String, row: JSONValue)] = [:]
        var cursor: String?
        while true {
            var uri = "/v1/sync/pull?clientId=\(clientId)&schemaVersion=1&limit=\(limit)"
            if let cursor { uri += "&cursor=\(cursor)" }
            let page: PullResponse = try expectOK(try await api.get(uri, token: token))
            for change in page.changes {
                let id = try #require(change.entityId)
                if change.op == .put, let row = change.row {
                    held["\(change.entity)/\(id)"] = (change.entity, id, row)
                } else {
                    held["\(change.entity)/\(id)"] = nil
                }
            }
            if page.hasMore {
                #expect(page.checksum == nil, "only the last page carries the checksum")
                cursor = page.cursor
                continue
            }
            var computed = ScopeChecksum()
            for row in held.values {
                computed.toggle(entity: row.entity, hash: ScopeChecksum.rowHash(entity: row.entity, id: row.id, row: row.row))
            }
            return (held.count, computed.hex, page.checksum)
        }
    }

    @Test("after bookings, cancels, a reschedule, a completion, a blacklisting, a removed window, a no-show sweep and ended slots, every role's checksum is the one its rows give",
          arguments: TestBackend.all)
    func checksumMatchesTheRowsOfEveryScope(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        let scene = try await server.run { api in
            let practice = try await api.practice()
            let other = try await api.registerPatient("Other Patient")
            let second = try await api.createDoctor(admin: practice.admin, name: "Dr Second", specialty: "dermatology")
            let spare = try await api.addWindow(
                second, start: TestTime.day(3, hour: 9), end: TestTime.day(3, hour: 10), slotMinutes: 30)
            let patient = practice.patient.accessToken
            let kept = try await api.bookOK(patient, doctorId: practice.doctor.id, start: practice.slot(0), reason: "kept")
            let cancelled = try await api.bookOK(patient, doctorId: practice.doctor.id, start: practice.slot(1))
            #expect(try await api.cancel(patient, cancelled.id).status == .ok)
            let moved = try await api.bookOK(other.accessToken, doctorId: practice.doctor.id, start: practice.slot(2))
            #expect(try await api.reschedule(other.accessToken, moved.id, start: practice.slot(3)).status == .created)
            #expect(try await api.delete("/v1/doctors/me/availability/\(spare.id)", token: second.accessToken).status == .noContent)
            #expect(try await api.blacklist(practice.admin, second.doctor.id).status == .ok)
            #expect(try await api.blacklist(practice.admin, second.doctor.id, false).status == .ok)
            return (practice: practice, other: other, second: second, kept: kept)
        }
        // after the slots: a completion, the no-show sweep (penalties) and ended slots
        let later = scene.practice.slot(6).addingTimeInterval(TimeInterval(server.config.noShowGrace + 60))
        try await server.restarted(at: later).run { api in
            let admin = try await api.adminToken()
            let doctor = try await api.login(scene.practice.doctor.email, scene.practice.doctor.password).accessToken
            #expect(try await api.complete(doctor, scene.kept.id).status == .ok)
            #expect(try await api.sweepOK(admin).markedNoShow == 1)
            let patient = try await api.login(scene.practice.patient.user.email, scene.practice.patient.password).accessToken
            let other = try await api.login(scene.other.user.email, scene.other.password).accessToken
            let second = try await api.login(scene.second.email, scene.second.password).accessToken
            for (role, token) in [("admin", admin), ("doctor", doctor), ("second doctor", second), ("patient", patient), ("other patient", other)] {
                let scope = try await Self.freshScope(api, token)
                #expect(scope.rows > 0)
                #expect(scope.sent == scope.computed, "\(role)")
                let paged = try await Self.freshScope(api, token, limit: 2)
                #expect(paged.sent == scope.sent, "\(role), pulled two changes a page")
            }
        }
    }

    @Test("the checksum is 96 lower-case hex digits, and a scope with nothing in it sums to zeros", arguments: TestBackend.all)
    func checksumShape(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let patient = try await api.registerPatient()
            let scope = try await Self.freshScope(api, patient.accessToken)
            let sent = try #require(scope.sent)
            #expect(sent.count == 96 && sent.allSatisfy { "0123456789abcdef".contains($0) })
            #expect(ScopeChecksum(hex: sent)?.sums["doctor"] == nil)
            #expect(scope.sent == scope.computed)
        }
    }

    @Test("a database made before checksums gets every row's hash and the sums at start, and pulls then carry the right checksum",
          arguments: TestBackend.all)
    func migrationBackfillsTheSums(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        let practice = try await server.run { api in
            let practice = try await api.practice()
            let booked = try await api.bookOK(practice.patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(0))
            _ = try await api.bookOK(practice.patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(1))
            #expect(try await api.cancel(practice.patient.accessToken, booked.id).status == .ok)
            let other = try await api.registerPatient("Other Patient")
            _ = try await api.bookOK(other.accessToken, doctorId: practice.doctor.id, start: practice.slot(2))
            return practice
        }
        // the schema as it was before: no hashes, no sums, the migration not applied
        let database = server.database
        try await database.execute("DROP TABLE scope_sums")
        try await database.execute("ALTER TABLE changes DROP COLUMN hash")
        switch backend {
        case .sqlite: try await database.execute("DELETE FROM grdb_migrations WHERE identifier = 'v10-scope-checksums'")
        case .postgres: try await database.execute("DELETE FROM schema_migrations WHERE id = 'v4-scope-checksums'")
        }
        try await server.run { api in
            #expect(try await database.scalar("SELECT count(*) FROM changes WHERE hash IS NULL AND NOT deleted") == 0)
            let admin = try await api.adminToken()
            let patient = try await api.login(practice.patient.user.email, practice.patient.password).accessToken
            let doctor = try await api.login(practice.doctor.email, practice.doctor.password).accessToken
            for token in [admin, patient, doctor] {
                let scope = try await Self.freshScope(api, token)
                #expect(scope.sent == scope.computed)
            }
        }
    }
}
