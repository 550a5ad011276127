import Foundation
import HMSSyncCore
import HMSTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import HMSServer

@Suite("CONTRACT §1: conventions")
struct ConventionsTests {
    @Test("a valid X-Request-Id is echoed",
          arguments: TestBackend.all, ["abc", "A.b_c-1", "req-42", String(repeating: "x", count: 64)])
    func requestIdEchoed(backend: TestBackend, id: String) async throws {
        try await TestServer(backend).run { api in
            let reply = try await api.get("/v1/clinic", headers: [.requestId: id])
            #expect(reply.requestId == id)
        }
    }

    @Test("an invalid X-Request-Id is replaced by a new one",
          arguments: TestBackend.all, [String(repeating: "x", count: 65), "has space", "a/b", "semi;colon", "<script>", "a:b"])
    func requestIdReplaced(backend: TestBackend, id: String) async throws {
        try await TestServer(backend).run { api in
            let reply = try await api.get("/v1/clinic", headers: [.requestId: id])
            let given = try #require(reply.requestId)
            #expect(given != id)
            #expect((1...64).contains(given.count))
        }
    }

    @Test("a response without a client id still carries one", arguments: TestBackend.all)
    func requestIdMade(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let first = try #require(try await api.get("/healthz").requestId)
            let second = try #require(try await api.get("/healthz").requestId)
            #expect(first != second)
        }
    }

    /// Requests that fail in different layers: router, auth, body decoding, size limit.
    static let failingRequests: [(HTTPRequest.Method, String, String?, Int)] = [
        (.get, "/v1/no-such-thing", nil, 404),
        (.delete, "/v1/clinic", nil, 405),
        (.get, "/v1/me", nil, 401),
        (.post, "/v1/auth/login", "{not json", 400),
        (.post, "/v1/auth/register", String(repeating: "x", count: (1 << 20) + 1), 413),
    ]

    @Test("errors carry X-Request-Id and the shape {error, code, details?}",
          arguments: TestBackend.all, failingRequests)
    func errorsCarryRequestId(backend: TestBackend, _ row: (HTTPRequest.Method, String, String?, Int)) async throws {
        let (method, path, body, status) = row
        try await TestServer(backend).run { api in
            let reply = try await api.request(method, path, body: body, headers: [.requestId: "trace-me"])
            #expect(reply.status.code == status)
            #expect(reply.requestId == "trace-me")
            let object = try reply.object()
            #expect(Set(object.keys).isSubset(of: ["error", "code", "details"]), "\(object.keys)")
            #expect((object["error"] as? String)?.isEmpty == false)
            #expect(object["code"] is String)
        }
    }

    @Test("a wrong method on an existing path is 405 METHOD_NOT_ALLOWED",
          arguments: TestBackend.all, [(HTTPRequest.Method.delete, "/v1/clinic"), (.put, "/v1/appointments"), (.get, "/v1/auth/login"),
                      (.patch, "/v1/me"), (.post, "/healthz")])
    func methodNotAllowed(backend: TestBackend, _ row: (HTTPRequest.Method, String)) async throws {
        let (method, path) = row
        try await TestServer(backend).run { api in
            expectError(try await api.request(method, path), 405, "METHOD_NOT_ALLOWED")
        }
    }

    @Test("an unknown path is 404 NOT_FOUND",
          arguments: TestBackend.all, ["/v1/nothing", "/nothing", "/v1/appointments/x/y/z"])
    func unknownPath(backend: TestBackend, path: String) async throws {
        try await TestServer(backend).run { api in
            expectError(try await api.get(path), 404, "NOT_FOUND")
        }
    }

    @Test("a body over 1 MiB is 413 PAYLOAD_TOO_LARGE", arguments: TestBackend.all, ["router", "live"])
    func payloadTooLarge(backend: TestBackend, setup: String) async throws {
        try await TestServer(backend).run(setup == "live" ? .live : .router) { api in
            let padding = String(repeating: "a", count: 1 << 20)
            let body = #"{"name": "\#(padding)", "email": "big@example.com", "password": "password1"}"#
            expectError(try await api.post("/v1/auth/register", body: body), 413, "PAYLOAD_TOO_LARGE")
        }
    }

    @Test("malformed JSON and wrong-typed or missing keys are 400 VALIDATION naming the field",
          arguments: TestBackend.all, [
              (#"{"name": "Ann", "email": "ann@example.com", "#, "body"),
              (#"[1, 2]"#, "body"),
              (#"{"name": 5, "email": "ann@example.com", "password": "password1"}"#, "name"),
              (#"{"name": "Ann", "email": true, "password": "password1"}"#, "email"),
              (#"{"name": "Ann", "email": "ann@example.com"}"#, "password"),
              (#"{"name": "Ann", "email": "ann@example.com", "password": null}"#, "password"),
          ])
    func validation(backend: TestBackend, _ row: (String, String)) async throws {
        let (body, field) = row
        try await TestServer(backend).run { api in
            expectError(try await api.post("/v1/auth/register", body: body), 400, "VALIDATION", field: field)
        }
    }

    @Test("a wrong-typed time or number in a booking names its field",
          arguments: TestBackend.all, [("start", "tomorrow" as any Sendable), ("start", 12), ("doctorId", 7)])
    func wrongTypedBookingField(backend: TestBackend, _ row: (String, any Sendable)) async throws {
        let (field, value) = row
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            var body: JSON = ["doctorId": practice.doctor.id, "start": iso(practice.slot(0))]
            body[field] = value
            let reply = try await api.post("/v1/appointments", token: practice.patient.accessToken, json: body)
            expectError(reply, 400, "VALIDATION", field: field)
        }
    }

    @Test("unknown keys are ignored", arguments: TestBackend.all)
    func unknownKeysIgnored(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let reply = try await api.post(
                "/v1/auth/register",
                json: ["name": "Ann", "email": TestAccounts.uniqueEmail(), "password": "password1", "role": "admin",
                       "nested": ["deep": [1, 2, 3]]])
            let user: User = try expectOK(reply, 201)
            #expect(user.role == .patient)
        }
    }

    @Test("limit is clamped to 200 and nextCursor walks every item exactly once", arguments: TestBackend.all)
    func paging(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let admin = try await api.adminToken()
            let doctor = try await api.createDoctor(admin: admin)
            let first = TestTime.day(3, hour: 0)
            var created: Set<String> = []
            for index in 0..<205 {
                let start = first.addingTimeInterval(Double(index) * 300)
                created.insert(try await api.addWindow(doctor, start: start, end: start + 300, slotMinutes: 5).id)
            }
            let base = "/v1/doctors/\(doctor.id)/availability"
            let clamped = try await api.page("\(base)?limit=1000", token: admin, of: AvailabilityWindow.self)
            #expect(clamped.items.count == 200)
            #expect(clamped.nextCursor != nil)
            let standard = try await api.page(base, token: admin, of: AvailabilityWindow.self)
            #expect(standard.items.count == 50)

            var seen: [String] = []
            var cursor: String?
            repeat {
                let uri = "\(base)?limit=7" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try await api.page(uri, token: doctor.accessToken, of: AvailabilityWindow.self)
                #expect(page.items.count <= 7)
                seen += page.items.map(\.id)
                cursor = page.nextCursor
            } while cursor != nil
            #expect(seen.count == 205)
            #expect(Set(seen) == created)
        }
    }

    @Test("a cursor the server did not give out is 400 VALIDATION",
          arguments: TestBackend.all, ["garbage!!", "bm90IGpzb24", "eyJ4IjoxfQ"])
    func badCursor(backend: TestBackend, cursor: String) async throws {
        try await TestServer(backend).run { api in
            let admin = try await api.adminToken()
            let reply = try await api.get("/v1/doctors?cursor=\(cursor)", token: admin)
            expectError(reply, 400, "VALIDATION", field: "cursor")
        }
    }

    @Test("service endpoints and /v1/clinic answer without a token", arguments: TestBackend.all)
    func serviceEndpoints(backend: TestBackend) async throws {
        try await TestServer(backend, { $0.clinicName = "Riverside Clinic" }).run { api in
            #expect(try await api.get("/healthz").status == .ok)
            #expect(try await api.get("/readyz").status == .ok)
            let clinic: Clinic = try expectOK(try await api.get("/v1/clinic"))
            #expect(clinic == Clinic(name: "Riverside Clinic", timeZone: "UTC"))

            let metrics = try await api.get("/metrics")
            #expect(metrics.status == .ok)
            #expect(metrics.headers[.contentType]?.hasPrefix("text/plain") == true)
            let samples = metrics.text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }
            #expect(!samples.isEmpty, "no metric in: \(metrics.text)")
            #expect(metrics.text.contains("# TYPE"))
        }
    }

    /// Spellings of 09:00:00Z on the booking day: offsets, fractions, lower case.
    static let spellings = [
        "{D}T09:00:00Z", "{D}T11:00:00+02:00", "{D}T04:00:00-05:00", "{D}T09:00:00.000Z", "{D}T10:00:00.250+01:00",
        "{D}t09:00:00z",
    ]

    @Test("times are written in UTC with whole seconds and Z, however they were sent",
          arguments: TestBackend.all, spellings)
    func timesWrittenInUTC(backend: TestBackend, spelling: String) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            let day = TestTime.dateString(practice.window.start)
            let start = spelling.replacingOccurrences(of: "{D}", with: day)
            let reply = try await api.book(practice.patient.accessToken, doctorId: practice.doctor.id, start: start)
            try #require(reply.status == .created, "\(start): \(reply.text)")
            let object = try reply.object()
            #expect(object["start"] as? String == "\(day)T09:00:00Z")
            #expect(object["end"] as? String == "\(day)T09:30:00Z")
            let pattern = #/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/#
            for key in ["createdAt", "updatedAt"] {
                let text = try #require(object[key] as? String)
                #expect(text.wholeMatch(of: pattern) != nil, "\(key): \(text)")
            }
        }
    }

    @Test("an availability window sent with an offset is written in UTC", arguments: TestBackend.all)
    func windowTimesInUTC(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let admin = try await api.adminToken()
            let doctor = try await api.createDoctor(admin: admin)
            let day = TestTime.dateString(TestTime.day(2))
            let reply = try await api.post(
                "/v1/doctors/me/availability", token: doctor.accessToken,
                json: ["start": "\(day)T10:00:00+01:00", "end": "\(day)T12:00:00.000+01:00", "slotMinutes": 30])
            try #require(reply.status == .created, "\(reply.text)")
            let object = try reply.object()
            #expect(object["start"] as? String == "\(day)T09:00:00Z")
            #expect(object["end"] as? String == "\(day)T11:00:00Z")
        }
    }
}
