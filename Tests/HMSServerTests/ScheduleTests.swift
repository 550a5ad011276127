import Foundation
import HMSSyncCore
import HMSTestSupport
import HTTPTypes
import Testing
@testable import HMSServer

@Suite("CONTRACT §9.3: weekly schedules, day by day on the clinic's wall clock")
struct ScheduleTests {
    /// A clinic in London: its days cross the spring change on Sunday 2027-03-28 (01:00 GMT → 02:00 BST).
    static func london(_ backend: TestBackend) async throws -> TestServer {
        try await TestServer(backend) { $0.clinicTimeZone = "Europe/London" }
    }

    static func body(
        _ weekdays: [Int], _ startTime: String, _ endTime: String, slot: Int = 30, from: String, until: String
    ) -> JSON {
        ["weekdays": weekdays, "startTime": startTime, "endTime": endTime, "slotMinutes": slot, "from": from, "until": until]
    }

    static func utc(_ windows: [AvailabilityWindow]) -> [String] {
        windows.map { "\(iso($0.start))–\(iso($0.end))" }
    }

    @Test("a week over London's spring change: every day 09:00–12:00 local, 09:00Z before it and 08:00Z after",
          arguments: TestBackend.all)
    func weekOverTheChange(backend: TestBackend) async throws {
        let server = try await Self.london(backend)
        try await server.run { api in
            let admin = try await api.adminToken()
            let doctor = try await api.createDoctor(admin: admin)
            let reply = try await api.post(
                "/v1/doctors/me/schedule", token: doctor.accessToken,
                json: Self.body(Array(1...7), "09:00", "12:00", from: "2027-03-25", until: "2027-03-31"))
            let result: ScheduleResult = try expectOK(reply, 201)
            #expect(Self.utc(result.created) == [
                "2027-03-25T09:00:00Z–2027-03-25T12:00:00Z", "2027-03-26T09:00:00Z–2027-03-26T12:00:00Z",
                "2027-03-27T09:00:00Z–2027-03-27T12:00:00Z", "2027-03-28T08:00:00Z–2027-03-28T11:00:00Z",
                "2027-03-29T08:00:00Z–2027-03-29T11:00:00Z", "2027-03-30T08:00:00Z–2027-03-30T11:00:00Z",
                "2027-03-31T08:00:00Z–2027-03-31T11:00:00Z",
            ])
            #expect(result.skipped.isEmpty)
            #expect(result.created.allSatisfy { $0.doctorId == doctor.id && $0.slotMinutes == 30 })

            // stored as answered, and six slots on the change's day in the clinic's own date
            let stored = try await api.all("/v1/doctors/\(doctor.id)/availability", token: doctor.accessToken, of: AvailabilityWindow.self)
            #expect(stored == result.created)
            let slots = try await api.page(
                "/v1/doctors/\(doctor.id)/slots?date=2027-03-28", token: doctor.accessToken, of: Slot.self)
            #expect(slots.items.map { iso($0.start) }.first == "2027-03-28T08:00:00Z" && slots.items.count == 6)
        }
    }

    @Test("a day whose window overlaps one of the doctor's is skipped with OVERLAPPING_AVAILABILITY; resent, every day is skipped, still 201",
          arguments: TestBackend.all)
    func overlapsAreSkipped(backend: TestBackend) async throws {
        let server = try await Self.london(backend)
        try await server.run { api in
            let practice = try await api.practice()
            let doctor = practice.doctor
            // Wednesday 2027-03-31, 11:00–12:00 BST; Thursday's 12:00–13:00 BST only touches 09:00–12:00
            _ = try await api.addWindow(doctor, start: Self.instant("2027-03-31T10:00:00Z"),
                                        end: Self.instant("2027-03-31T11:00:00Z"), slotMinutes: 30)
            _ = try await api.addWindow(doctor, start: Self.instant("2027-04-01T11:00:00Z"),
                                        end: Self.instant("2027-04-01T12:00:00Z"), slotMinutes: 30)
            let schedule = Self.body([1, 2, 3, 4, 5], "09:00", "12:00", from: "2027-03-29", until: "2027-04-04")
            let first: ScheduleResult = try expectOK(
                try await api.post("/v1/doctors/me/schedule", token: doctor.accessToken, json: schedule), 201)
            #expect(first.created.map { String(iso($0.start).prefix(10)) } == ["2027-03-29", "2027-03-30", "2027-04-01", "2027-04-02"])
            #expect(first.skipped == [SkippedDay(date: "2027-03-31", code: .overlappingAvailability)])

            let again: ScheduleResult = try expectOK(
                try await api.post("/v1/doctors/me/schedule", token: doctor.accessToken, json: schedule), 201)
            #expect(again.created.isEmpty)
            #expect(again.skipped.map(\.date) == ["2027-03-29", "2027-03-30", "2027-03-31", "2027-04-01", "2027-04-02"])
            #expect(again.skipped.allSatisfy { $0.code == .overlappingAvailability })

            let windows = try await api.all("/v1/doctors/me/availability", token: doctor.accessToken, of: AvailabilityWindow.self)
            #expect(windows.count == 1 + 2 + 4)
            // the windows reach replicas: a patient's pull puts each one
            let pulled = Set(try await api.pullAll(practice.patient.accessToken)
                .filter { $0.entity == "availability" && $0.op == .put }.compactMap(\.entityId))
            #expect(Set(first.created.map(\.id)).isSubset(of: pulled))
        }
    }

    @Test("a day the change bends out of shape is skipped with VALIDATION; the other days are written",
          arguments: TestBackend.all)
    func bentDayIsSkipped(backend: TestBackend) async throws {
        let server = try await Self.london(backend)
        try await server.run { api in
            let doctor = try await api.createDoctor(admin: try await api.adminToken())
            // Sunday 01:30 does not exist and moves to 02:30 BST, after 02:15 BST
            let result: ScheduleResult = try expectOK(
                try await api.post(
                    "/v1/doctors/me/schedule", token: doctor.accessToken,
                    json: Self.body([6, 7], "01:30", "02:15", slot: 15, from: "2027-03-27", until: "2027-03-28")),
                201)
            #expect(Self.utc(result.created) == ["2027-03-27T01:30:00Z–2027-03-27T02:15:00Z"])
            #expect(result.skipped == [SkippedDay(date: "2027-03-28", code: .validation)])
        }
    }

    /// (body changes, the field named)
    static let invalid: [(JSON, String)] = [
        (["weekdays": [0, 1]], "weekdays"),
        (["weekdays": [8]], "weekdays"),
        (["weekdays": [Int]()], "weekdays"),
        (["weekdays": "mon"], "weekdays"),
        (["endTime": "09:00"], "endTime"),
        (["endTime": "08:00"], "endTime"),
        (["startTime": "9am"], "startTime"),
        (["from": "2027-04-08"], "until"),
        (["from": "2026-03-31"], "until"),
        (["endTime": "10:45"], "endTime"),
        (["slotMinutes": 241], "slotMinutes"),
        (["until": "2027-02-30"], "until"),
    ]

    @Test("a request invalid as a whole is 400 VALIDATION naming its field, and writes nothing",
          arguments: TestBackend.all, invalid)
    func validation(backend: TestBackend, _ row: (JSON, String)) async throws {
        let (changes, field) = row
        try await TestServer(backend).run { api in
            let doctor = try await api.createDoctor(admin: try await api.adminToken())
            let body = Self.body([1], "09:00", "12:00", from: "2027-04-01", until: "2027-04-07").merging(changes) { $1 }
            expectError(try await api.post("/v1/doctors/me/schedule", token: doctor.accessToken, json: body), 400, "VALIDATION", field: field)
            let windows = try await api.all("/v1/doctors/me/availability", token: doctor.accessToken, of: AvailabilityWindow.self)
            #expect(windows.isEmpty)
        }
    }

    @Test("366 days counted inclusively are accepted", arguments: TestBackend.all)
    func longestSpan(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let doctor = try await api.createDoctor(admin: try await api.adminToken())
            let result: ScheduleResult = try expectOK(
                try await api.post(
                    "/v1/doctors/me/schedule", token: doctor.accessToken,
                    json: Self.body([6, 7], "09:00", "10:00", from: "2028-01-01", until: "2028-12-31")),
                201)
            // 2028, a leap year, starts on a Saturday and ends on a Sunday: 53 weekends, both ends included
            #expect(result.created.count == 106 && result.skipped.isEmpty)
            #expect(result.created.first.map { iso($0.start) } == "2028-01-01T09:00:00Z")
            #expect(result.created.last.map { iso($0.start) } == "2028-12-31T09:00:00Z")
        }
    }

    @Test("only a doctor may: a patient and an admin are 403 FORBIDDEN, no token 401", arguments: TestBackend.all)
    func roles(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            let body = Self.body([1], "09:00", "12:00", from: "2027-04-01", until: "2027-04-07")
            expectError(try await api.post("/v1/doctors/me/schedule", token: practice.patient.accessToken, json: body), 403, "FORBIDDEN")
            expectError(try await api.post("/v1/doctors/me/schedule", token: practice.admin, json: body), 403, "FORBIDDEN")
            expectError(try await api.post("/v1/doctors/me/schedule", json: body), 401, "UNAUTHENTICATED")
        }
    }

    @Test("the schedule's write is audited: one row by the doctor, about availability", arguments: TestBackend.all)
    func audited(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let admin = try await api.adminToken()
            let doctor = try await api.createDoctor(admin: admin)
            let reply = try await api.request(
                .post, "/v1/doctors/me/schedule", token: doctor.accessToken,
                json: Self.body([1, 2], "09:00", "12:00", from: "2027-04-05", until: "2027-04-06"),
                headers: [.requestId: "schedule-1"])
            #expect(reply.status.code == 201)
            let rows = try await api.all("/v1/admin/audit", token: admin, of: AuditItem.self).filter { $0.requestId == "schedule-1" }
            #expect(rows.count == 1)
            #expect(rows.first?.action == "POST /v1/doctors/me/schedule" && rows.first?.entity == "availability")
            #expect(rows.first?.actorId == doctor.id && rows.first?.outcome == "success")
        }
    }

    @Test("two overlapping schedules at once on two servers: no two windows overlap, each day written once",
          arguments: TestBackend.all)
    func concurrentSchedules(backend: TestBackend) async throws {
        let server = try await Self.london(backend)
        let doctor = try await server.run { api in try await api.createDoctor(admin: try await api.adminToken()) }
        let zone = TimeZone(identifier: "Europe/London")!
        let morning = try WeeklySchedule(
            weekdays: Array(1...7), startTime: "08:00", endTime: "12:00", slotMinutes: 30, from: "2027-05-03", until: "2027-05-16")
        let midday = try WeeklySchedule(
            weekdays: Array(1...7), startTime: "11:00", endTime: "13:00", slotMinutes: 30, from: "2027-05-03", until: "2027-05-16")
        let results = try await server.withStore { first in
            try await server.withStore { second in
                async let a = first.addSchedule(doctorId: doctor.id, schedule: morning, days: morning.days(in: zone))
                async let b = second.addSchedule(doctorId: doctor.id, schedule: midday, days: midday.days(in: zone))
                return try await [a, b]
            }
        }
        // one schedule went first and took all 14 days; the other found each day taken
        #expect(results.map(\.created.count).sorted() == [0, 14])
        #expect(results.map(\.skipped.count).sorted() == [0, 14])
        let windows = try await server.withStore { store in
            try await store.windows(doctorId: doctor.id, from: nil, to: nil, after: nil, limit: 100)
        }
        #expect(windows.count == 14)
        for (index, window) in windows.enumerated().dropFirst() {
            #expect(windows[index - 1].end <= window.start)
        }
    }

    static func instant(_ text: String) -> Date { RFC3339.parse(text)! }
}
