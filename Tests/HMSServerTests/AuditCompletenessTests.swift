import Foundation
import HMSSyncCore
import HMSTestSupport
import HTTPTypes
import HummingbirdTesting
import Testing
@testable import HMSServer

@Suite("CONTRACT §5, §9.1: the audit trail answers who read or changed this patient's records")
struct AuditCompletenessTests {
    /// The audit rows of one request, read straight from the database.
    static func rows(_ server: TestServer, requestId: String) async throws -> [AuditItem] {
        try await server.withStore { store in
            try await store.auditEntries(AuditFilter(), after: nil, limit: 10_000)
        }.map(\.entry).filter { $0.requestId == requestId }
    }

    @Test("a push writes one row per mutation: its intent, appointment, patient and outcome",
          arguments: TestBackend.all)
    func pushRowPerMutation(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run(.live) { api in
            let practice = try await api.practice()
            let other = try await api.registerPatient("Other")
            let taken = try await api.bookOK(other.accessToken, doctorId: practice.doctor.id, start: practice.slot(1))
            let first = UUID().uuidString.lowercased()
            let second = UUID().uuidString.lowercased()
            let mutations: [JSON] = [
                ["id": 1, "name": "book", "args": ["appointmentId": first, "doctorId": practice.doctor.id,
                                                   "start": iso(practice.slot(0))]],
                ["id": 2, "name": "book", "args": ["appointmentId": second, "doctorId": practice.doctor.id,
                                                   "start": iso(practice.slot(1))]],
                ["id": 3, "name": "cancel", "args": ["appointmentId": first]],
                ["id": 4, "name": "cancel", "args": ["appointmentId": taken.id]],
            ]
            let reply = try await api.request(
                .post, "/v1/sync/push", token: practice.patient.accessToken,
                json: ["clientId": UUID().uuidString.lowercased(), "schemaVersion": 1, "mutations": mutations],
                headers: [.requestId: "push-audit-1"])
            #expect(reply.status.code == 200)
            let rows = try await Self.rows(server, requestId: "push-audit-1")
            #expect(rows.count == 4)
            let byOutcome = rows.map { "\($0.action)|\($0.entityId ?? "-")|\($0.patientId ?? "-")|\($0.outcome)" }
            #expect(Set(byOutcome) == [
                "POST /v1/sync/push book|\(first)|\(practice.patient.id)|success",
                "POST /v1/sync/push book|\(second)|\(practice.patient.id)|SLOT_TAKEN",
                "POST /v1/sync/push cancel|\(first)|\(practice.patient.id)|success",
                // another patient's appointment: refused as not found, and the row names whose it was
                "POST /v1/sync/push cancel|\(taken.id)|\(other.id)|NOT_FOUND",
            ])
            #expect(rows.allSatisfy { $0.actorId == practice.patient.id && $0.entity == "appointment" })
        }
    }

    @Test("an admin's list and pull record one row per patient whose rows they returned", arguments: TestBackend.all)
    func listsAndPullsNameTheirPatients(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run(.live) { api in
            let practice = try await api.practice()
            let other = try await api.registerPatient("Other")
            _ = try await api.bookOK(practice.patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(0))
            _ = try await api.bookOK(other.accessToken, doctorId: practice.doctor.id, start: practice.slot(1))

            _ = try await api.request(.get, "/v1/appointments", token: practice.admin, headers: [.requestId: "list-1"])
            let listed = try await Self.rows(server, requestId: "list-1")
            #expect(Set(listed.compactMap(\.patientId)) == [practice.patient.id, other.id])
            #expect(listed.allSatisfy { $0.action == "GET /v1/appointments" && $0.outcome == "success" })

            let pull = "/v1/sync/pull?clientId=\(UUID().uuidString.lowercased())&schemaVersion=1"
            _ = try await api.request(.get, pull, token: practice.admin, headers: [.requestId: "pull-1"])
            let pulled = try await Self.rows(server, requestId: "pull-1")
            #expect(Set(pulled.compactMap(\.patientId)) == [practice.patient.id, other.id])

            // a doctor's list names the patients of the doctor's appointments
            _ = try await api.request(.get, "/v1/appointments", token: practice.doctor.accessToken, headers: [.requestId: "list-2"])
            #expect(Set(try await Self.rows(server, requestId: "list-2").compactMap(\.patientId)) == [practice.patient.id, other.id])
        }
    }

    @Test("reads of the admin's metrics and of the audit log are audited", arguments: TestBackend.all)
    func adminReadsAreAudited(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run(.live) { api in
            let admin = try await api.adminToken()
            _ = try await api.request(.get, "/v1/admin/metrics", token: admin, headers: [.requestId: "metrics-1"])
            _ = try await api.request(.get, "/v1/admin/audit", token: admin, headers: [.requestId: "audit-1"])
            #expect(try await Self.rows(server, requestId: "metrics-1").map(\.action) == ["GET /v1/admin/metrics"])
            #expect(try await Self.rows(server, requestId: "audit-1").map(\.action) == ["GET /v1/admin/audit"])
        }
    }

    @Test("login, refresh and register rows carry the user's id", arguments: TestBackend.all)
    func sessionRowsNameTheUser(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run(.live) { api in
            let email = TestAccounts.uniqueEmail("pat")
            let registered = try await api.request(
                .post, "/v1/auth/register", json: ["name": "Pat", "email": email, "password": "patient-pass-1"],
                headers: [.requestId: "register-1"])
            let user = try registered.decode(User.self)
            let login = try await api.request(
                .post, "/v1/auth/login", json: ["email": email, "password": "patient-pass-1"], headers: [.requestId: "login-1"])
            let pair = try login.decode(TokenPair.self)
            _ = try await api.request(
                .post, "/v1/auth/refresh", json: ["refreshToken": pair.refreshToken], headers: [.requestId: "refresh-1"])
            _ = try await api.request(
                .post, "/v1/auth/login", json: ["email": email, "password": "wrong-password"], headers: [.requestId: "login-2"])
            for requestId in ["register-1", "login-1", "refresh-1"] {
                let rows = try await Self.rows(server, requestId: requestId)
                #expect(rows.count == 1 && rows[0].actorId == user.id && rows[0].actorRole == "patient", "\(requestId)")
                #expect(rows.first?.outcome == "success")
            }
            let failed = try #require(try await Self.rows(server, requestId: "login-2").first)
            #expect(failed.actorId == nil && failed.entityId == user.id && failed.outcome == "INVALID_CREDENTIALS")
        }
    }

    @Test("each no-show the sweep marks leaves a row naming its appointment and patient, in the sweep's transaction",
          arguments: TestBackend.all)
    func noShowsAreAudited(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        let (booked, patientId) = try await server.run { api in
            let practice = try await api.practice()
            let booked = try await api.bookOK(practice.patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(0))
            return (booked, practice.patient.id)
        }
        try await server.restarted(at: booked.end.addingTimeInterval(3_600)).run { api in
            let admin = try await api.adminToken()
            let reply = try await api.request(.post, "/v1/admin/jobs/no-show", token: admin, headers: [.requestId: "sweep-1"])
            #expect(reply.status.code == 200)
            let rows = try await Self.rows(server, requestId: "sweep-1")
            #expect(rows.count == 1)
            #expect(rows.first?.action == "POST /v1/admin/jobs/no-show mark-no-show")
            #expect(rows.first?.entityId == booked.id && rows.first?.patientId == patientId && rows.first?.actorRole == "admin")
        }
    }

    @Test("the admin's account list names the patients it shows", arguments: TestBackend.all)
    func adminViewsNameTheirPatients(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run(.live) { api in
            let admin = try await api.adminToken()
            let patient = try await api.registerPatient("Listed")
            _ = try await api.request(.get, "/v1/admin/users?role=patient", token: admin, headers: [.requestId: "users-1"])
            #expect(try await Self.rows(server, requestId: "users-1").compactMap(\.patientId) == [patient.id])
        }
    }

    /// Makes every audit insert whose action matches `pattern` fail, as a full disk or a broken
    /// audit table would.
    static func breakAuditRows(_ server: TestServer, like pattern: String) async throws {
        // DDL takes no bound values; `pattern` is one of this file's constants
        switch server.backend {
        case .sqlite:
            try await server.database.execute("""
                CREATE TRIGGER audit_broken BEFORE INSERT ON audit_log WHEN NEW.action LIKE '\(pattern)'
                BEGIN SELECT RAISE(ABORT, 'audit broken'); END
                """)
        case .postgres:
            try await server.database.execute("""
                CREATE FUNCTION audit_broken() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'audit broken'; END $$
                """)
            try await server.database.execute("""
                CREATE TRIGGER audit_broken BEFORE INSERT ON audit_log FOR EACH ROW
                WHEN (NEW.action LIKE '\(pattern)') EXECUTE FUNCTION audit_broken()
                """)
        }
    }

    @Test("a write whose audit row can't be written does not happen", arguments: TestBackend.all)
    func writeAndAuditCommitTogether(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run(.live) { api in
            let practice = try await api.practice()
            try await Self.breakAuditRows(server, like: "POST /v1/appointments%")
            let id = UUID().uuidString.lowercased()
            let reply = try await api.book(practice.patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(0), id: id)
            #expect(reply.status.code >= 500)
            #expect(try await server.database.status(of: id) == nil)
            let changes = try await server.database.scalar("SELECT count(*) FROM changes WHERE entity_id = $1", [.text(id)])
            #expect(changes == 0)
        }
    }

    @Test("a patient-record read whose audit row can't be written is not served", arguments: TestBackend.all)
    func unauditedReadsAreWithheld(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run(.live) { api in
            let practice = try await api.practice()
            let booked = try await api.bookOK(
                practice.patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(0), reason: "SECRET-REASON")
            try await Self.breakAuditRows(server, like: "GET %")
            for path in ["/v1/appointments/\(booked.id)", "/v1/appointments",
                         "/v1/sync/pull?clientId=\(UUID().uuidString.lowercased())&schemaVersion=1"] {
                let reply = try await api.get(path, token: practice.patient.accessToken)
                expectError(reply, 503, "UNAVAILABLE")
                #expect(!reply.text.contains("SECRET-REASON") && !reply.text.contains(booked.id), "\(path)")
            }
        }
    }
}
