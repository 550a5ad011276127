import Foundation
import HMSSyncCore
import HMSTestSupport
import HTTPTypes
import HummingbirdTesting
import Testing
@testable import HMSServer

@Suite("CONTRACT §5: the audit trail")
struct AuditTests {
    static let diagnosis = "SECRET-DIAGNOSIS-a1b2"
    static let treatment = "SECRET-TREATMENT-c3d4"
    static let reason = "SECRET-REASON-e5f6"

    /// What happened, over real sockets: before the appointments (a booking, a booking and its
    /// cancel, three refusals) and, after a restart into the first appointment, its completion
    /// and the doctor's read of it.
    struct Story: Sendable {
        let practice: Practice
        let other: Account
        let booked: Appointment
        let bookReply: String
        let cancelled: Appointment
        let cancelReply: String
        let forbiddenReply: String
        let notFoundReply: String
        let slotTakenReply: String
        let unauthenticatedReply: String
        /// When the second part began (server clock).
        var laterAt: Date { booked.start.addingTimeInterval(600) }
        var patient: Account { practice.patient }
        var doctor: DoctorAccount { practice.doctor }
    }

    struct Later: Sendable {
        let completeReply: String
        let readReply: String
    }

    static func tell(_ server: TestServer) async throws -> (Story, Later) {
        let story = try await server.run(.live) { api in
            let practice = try await api.practice()
            let other = try await api.registerPatient("Other")
            let patient = practice.patient.accessToken
            let bookReply = try await api.book(
                patient, doctorId: practice.doctor.id, start: practice.slot(0), reason: Self.reason)
            let booked: Appointment = try expectOK(bookReply, 201)
            let toCancel = try await api.bookOK(patient, doctorId: practice.doctor.id, start: practice.slot(1))
            let cancelReply = try await api.request(
                .post, "/v1/appointments/\(toCancel.id)/cancel", token: patient, json: ["reason": Self.reason],
                headers: [.requestId: "cancel-trace-1"])
            let cancelled: Appointment = try expectOK(cancelReply)

            let forbidden = try await api.sweep(patient)
            expectError(forbidden, 403, "FORBIDDEN")
            let notFound = try await api.get(
                "/v1/appointments/\(UUID().uuidString.lowercased())", token: practice.doctor.accessToken)
            expectError(notFound, 404, "NOT_FOUND")
            let slotTaken = try await api.book(other.accessToken, doctorId: practice.doctor.id, start: practice.slot(0))
            expectError(slotTaken, 409, "SLOT_TAKEN")
            let unauthenticated = try await api.get("/v1/me")
            expectError(unauthenticated, 401, "UNAUTHENTICATED")
            return Story(
                practice: practice, other: other, booked: booked, bookReply: try #require(bookReply.requestId),
                cancelled: cancelled, cancelReply: try #require(cancelReply.requestId),
                forbiddenReply: try #require(forbidden.requestId), notFoundReply: try #require(notFound.requestId),
                slotTakenReply: try #require(slotTaken.requestId),
                unauthenticatedReply: try #require(unauthenticated.requestId))
        }
        let later = try await server.restarted(at: story.laterAt).run(.live) { api in
            let doctor = try await api.login(story.doctor.email, story.doctor.password).accessToken
            let completeReply = try await api.complete(
                doctor, story.booked.id, diagnosis: Self.diagnosis, treatment: Self.treatment)
            let _: Appointment = try expectOK(completeReply)
            let readReply = try await api.get("/v1/appointments/\(story.booked.id)", token: doctor)
            let _: Appointment = try expectOK(readReply)
            return Later(
                completeReply: try #require(completeReply.requestId), readReply: try #require(readReply.requestId))
        }
        return (story, later)
    }

    /// Runs `body` on a server restarted into the second part's time, with the admin's token.
    static func reading(_ server: TestServer, _ story: Story, _ body: @Sendable (API, String) async throws -> Void) async throws {
        try await server.restarted(at: story.laterAt).run { api in try await body(api, try await api.adminToken()) }
    }

    static func row(_ rows: [AuditItem], _ requestId: String, sourceLocation: SourceLocation = #_sourceLocation) throws
        -> AuditItem
    {
        let matching = rows.filter { $0.requestId == requestId }
        try #require(matching.count == 1, "one audit row for request \(requestId), found \(matching.count)",
                     sourceLocation: sourceLocation)
        return matching[0]
    }

    @Test("a booking, a cancel and a completion each leave a success row naming actor, appointment and patient",
          arguments: TestBackend.all)
    func writesRecorded(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        let (story, later) = try await Self.tell(server)
        try await Self.reading(server, story) { api, admin in
            let rows = try await api.all("/v1/admin/audit", token: admin, of: AuditItem.self)

            let book = try Self.row(rows, story.bookReply)
            #expect(book.actorId == story.patient.id && book.actorRole == "patient")
            #expect(book.action == "POST /v1/appointments")
            #expect(book.entity == "appointment" && book.entityId == story.booked.id)
            #expect(book.patientId == story.patient.id)
            #expect(book.outcome == "success")
            #expect(book.clientIp == "127.0.0.1")

            let cancel = try Self.row(rows, "cancel-trace-1")
            #expect(story.cancelReply == "cancel-trace-1")
            #expect(cancel.actorId == story.patient.id && cancel.actorRole == "patient")
            #expect(cancel.action.hasPrefix("POST /v1/appointments/") && cancel.action.hasSuffix("/cancel"))
            #expect(cancel.entity == "appointment" && cancel.entityId == story.cancelled.id)
            #expect(cancel.patientId == story.patient.id && cancel.outcome == "success")
            #expect(cancel.clientIp == "127.0.0.1")

            let complete = try Self.row(rows, later.completeReply)
            #expect(complete.actorId == story.doctor.id && complete.actorRole == "doctor")
            #expect(complete.action.hasSuffix("/complete"))
            #expect(complete.entity == "appointment" && complete.entityId == story.booked.id)
            #expect(complete.patientId == story.patient.id && complete.outcome == "success")
            #expect(complete.clientIp == "127.0.0.1")
        }
    }

    @Test("a doctor's read of an appointment leaves a read row naming the patient", arguments: TestBackend.all)
    func readRecorded(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        let (story, later) = try await Self.tell(server)
        try await Self.reading(server, story) { api, admin in
            let rows = try await api.all("/v1/admin/audit", token: admin, of: AuditItem.self)
            let read = try Self.row(rows, later.readReply)
            #expect(read.action.hasPrefix("GET /v1/appointments/"))
            #expect(read.actorId == story.doctor.id && read.actorRole == "doctor")
            #expect(read.entity == "appointment" && read.entityId == story.booked.id)
            #expect(read.patientId == story.patient.id)
            #expect(read.outcome == "success")
        }
    }

    @Test("refused requests leave a row with the error code as outcome", arguments: TestBackend.all)
    func refusalsRecorded(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        let (story, _) = try await Self.tell(server)
        try await Self.reading(server, story) { api, admin in
            let rows = try await api.all("/v1/admin/audit", token: admin, of: AuditItem.self)

            let forbidden = try Self.row(rows, story.forbiddenReply)
            #expect(forbidden.outcome == "FORBIDDEN")
            #expect(forbidden.actorId == story.patient.id && forbidden.actorRole == "patient")
            #expect(forbidden.action == "POST /v1/admin/jobs/no-show" && forbidden.entity == "job")

            let notFound = try Self.row(rows, story.notFoundReply)
            #expect(notFound.outcome == "NOT_FOUND")
            #expect(notFound.actorId == story.doctor.id && notFound.entity == "appointment")
            #expect(notFound.patientId == nil)

            let taken = try Self.row(rows, story.slotTakenReply)
            #expect(taken.outcome == "SLOT_TAKEN")
            #expect(taken.actorId == story.other.id && taken.entity == "appointment")
            #expect(taken.patientId == story.other.id)

            let unauthenticated = try Self.row(rows, story.unauthenticatedReply)
            #expect(unauthenticated.outcome == "UNAUTHENTICATED")
            #expect(unauthenticated.actorId == nil && unauthenticated.actorRole == nil)
        }
    }

    @Test("refusals in every layer are audited: router, auth, body, validation",
          arguments: TestBackend.all, [
              (HTTPRequest.Method.get, "/v1/no-such-thing", nil as String?, "NOT_FOUND"),
              (.delete, "/v1/clinic", nil, "METHOD_NOT_ALLOWED"),
              (.get, "/v1/appointments", nil, "UNAUTHENTICATED"),
              (.post, "/v1/auth/login", "{not json", "VALIDATION"),
              (.post, "/v1/auth/register", "(1 MiB + 1 byte)", "PAYLOAD_TOO_LARGE"),
          ])
    func refusalLayers(backend: TestBackend, _ row: (HTTPRequest.Method, String, String?, String)) async throws {
        let (method, path, body, code) = row
        let server = try await TestServer(backend)
        try await server.run { api in
            let body = body == "(1 MiB + 1 byte)" ? String(repeating: "x", count: (1 << 20) + 1) : body
            let reply = try await api.request(method, path, body: body, headers: [.requestId: "refused-1"])
            #expect(reply.status.code >= 400)
            let rows = try await api.all("/v1/admin/audit", token: try await api.adminToken(), of: AuditItem.self)
            let row = try Self.row(rows, "refused-1")
            #expect(row.outcome == code)
            #expect(row.action.hasPrefix(method.rawValue + " "))
        }
    }

    @Test("rows come newest first; from, to, actorId and patientId filter; pages follow nextCursor",
          arguments: TestBackend.all)
    func filtersAndPaging(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        let (story, later) = try await Self.tell(server)
        try await Self.reading(server, story) { api, admin in
            // reading the audit log is audited too: compare the story's rows without those reads
            let storyRows = { (rows: [AuditItem]) in rows.filter { $0.action != "GET /v1/admin/audit" } }
            let rows = storyRows(try await api.all("/v1/admin/audit", token: admin, of: AuditItem.self))
            #expect(rows.count >= 12)
            #expect(rows.map(\.at) == rows.map(\.at).sorted(by: >))
            // newest first: the read came after the completion, which came after the booking
            let position = { (requestId: String) in rows.firstIndex { $0.requestId == requestId } ?? -1 }
            #expect(position(later.readReply) < position(later.completeReply))
            #expect(position(later.completeReply) < position(story.bookReply))
            #expect(position(later.readReply) >= 0)
            #expect(Set(rows.map(\.id)).count == rows.count)

            let paged = storyRows(try await api.all("/v1/admin/audit?limit=2", token: admin, of: AuditItem.self))
            #expect(paged == rows)
            let firstPage = try await api.page("/v1/admin/audit?limit=2", token: admin, of: AuditItem.self)
            #expect(firstPage.items.count == 2 && firstPage.nextCursor != nil)

            let byDoctor = try await api.all("/v1/admin/audit?actorId=\(story.doctor.id)", token: admin, of: AuditItem.self)
            #expect(!byDoctor.isEmpty && byDoctor.allSatisfy { $0.actorId == story.doctor.id })
            #expect(byDoctor.count == rows.filter { $0.actorId == story.doctor.id }.count)

            let byPatient = try await api.all(
                "/v1/admin/audit?patientId=\(story.patient.id)", token: admin, of: AuditItem.self)
            #expect(byPatient.allSatisfy { $0.patientId == story.patient.id })
            #expect(Set(byPatient.map(\.requestId)).isSuperset(of: [story.bookReply, "cancel-trace-1", later.completeReply, later.readReply]))
            #expect(!byPatient.contains { $0.requestId == story.slotTakenReply })

            // the story's second part ran two days later by the server clock
            let split = iso(story.laterAt.addingTimeInterval(-3_600))
            let after = storyRows(try await api.all("/v1/admin/audit?from=\(split)", token: admin, of: AuditItem.self))
            let before = storyRows(try await api.all("/v1/admin/audit?to=\(split)", token: admin, of: AuditItem.self))
            #expect(after.contains { $0.requestId == later.completeReply })
            #expect(!after.contains { $0.requestId == story.bookReply })
            #expect(before.contains { $0.requestId == story.bookReply })
            #expect(!before.contains { $0.requestId == later.completeReply })
            #expect(after.count + before.count == rows.count)
            let both = try await api.all(
                "/v1/admin/audit?from=\(split)&actorId=\(story.doctor.id)", token: admin, of: AuditItem.self)
            // (the doctor's own login in that part names the doctor too)
            #expect(Set(both.filter { $0.entity != "session" }.map(\.requestId)) == [later.completeReply, later.readReply])
        }
    }

    @Test("no diagnosis, treatment or reason text anywhere in the audit answer", arguments: TestBackend.all)
    func noClinicalText(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        let (story, _) = try await Self.tell(server)
        try await Self.reading(server, story) { api, admin in
            var cursor: String?
            var pages = 0
            repeat {
                let reply = try await api.get(
                    "/v1/admin/audit?limit=5" + (cursor.map { "&cursor=\($0)" } ?? ""), token: admin)
                for secret in [Self.diagnosis, Self.treatment, Self.reason] {
                    #expect(!reply.text.contains(secret))
                }
                cursor = try reply.decode(Page<AuditItem>.self).nextCursor
                pages += 1
            } while cursor != nil
            #expect(pages >= 3)
        }
        // nor in the table itself
        let leaks = try await server.database.scalar(
            "SELECT count(*) FROM audit_log WHERE (action || coalesce(entity_id, '') || outcome) LIKE '%SECRET%'")
        #expect(leaks == 0)
    }

    @Test("the store refuses to update or delete audit rows", arguments: TestBackend.all)
    func appendOnly(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run { api in _ = try await api.registerPatient() }
        let database = server.database
        let count = try await database.scalar("SELECT count(*) FROM audit_log")
        #expect(count >= 1)
        await #expect(throws: (any Error).self) { try await database.execute("UPDATE audit_log SET outcome = 'tampered'") }
        await #expect(throws: (any Error).self) { try await database.execute("DELETE FROM audit_log") }
        #expect(try await database.scalar("SELECT count(*) FROM audit_log") == count)
        #expect(try await database.scalar("SELECT count(*) FROM audit_log WHERE outcome = 'tampered'") == 0)
    }

    @Test("only an admin reads the audit trail: 403 FORBIDDEN", arguments: TestBackend.all)
    func adminOnly(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            expectError(try await api.get("/v1/admin/audit", token: practice.patient.accessToken), 403, "FORBIDDEN")
            expectError(try await api.get("/v1/admin/audit", token: practice.doctor.accessToken), 403, "FORBIDDEN")
            expectError(try await api.get("/v1/admin/audit"), 401, "UNAUTHENTICATED")
            #expect(try await api.get("/v1/admin/audit", token: practice.admin).status == .ok)
        }
    }

    @Test("rate-limit refusals are not audited (the flood is counted in metrics instead)", arguments: TestBackend.all)
    func rateLimitNotAudited(backend: TestBackend) async throws {
        let server = try await TestServer(backend) { $0.rateLimit = 60 }
        try await server.run { api in
            for _ in 0..<10 {
                try await api.post("/v1/auth/login", json: ["email": "nobody@example.com", "password": "whatever-1"])
            }
        }
        #expect(try await server.database.scalar("SELECT count(*) FROM audit_log WHERE outcome = 'INVALID_CREDENTIALS'") >= 5)
        #expect(try await server.database.scalar("SELECT count(*) FROM audit_log WHERE outcome IN ('RATE_LIMITED', '429')") == 0)
    }
}
