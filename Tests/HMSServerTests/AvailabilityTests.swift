import Foundation
import HMSSyncCore
import HMSTestSupport
import HTTPTypes
import Testing

@Suite("CONTRACT §3: availability windows and slots")
struct AvailabilityTests {
    /// (slotMinutes, window length in minutes, expected status, expected code or nil, field)
    static let shapes: [(Int, Int, Int, String?, String?)] = [
        (4, 60, 400, "VALIDATION", "slotMinutes"),
        (5, 60, 201, nil, nil),
        (240, 240, 201, nil, nil),
        (241, 241, 400, "VALIDATION", "slotMinutes"),
        (30, 0, 400, "VALIDATION", "end"),
        (30, -60, 400, "VALIDATION", "end"),
        (60, 24 * 60, 201, nil, nil),
        (60, 24 * 60 + 60, 400, "VALIDATION", "end"),
        (30, 75, 400, "VALIDATION", "end"),
        (45, 90, 201, nil, nil),
    ]

    @Test("a window's shape: slotMinutes 5...240, end > start, at most 24 h, whole slots",
          arguments: TestBackend.all, shapes)
    func shape(backend: TestBackend, _ row: (Int, Int, Int, String?, String?)) async throws {
        let (slotMinutes, lengthMinutes, status, code, field) = row
        try await TestServer(backend).run { api in
            let admin = try await api.adminToken()
            let doctor = try await api.createDoctor(admin: admin)
            let start = TestTime.day(2, hour: 8)
            let reply = try await api.postWindow(
                doctor.accessToken, start: start, end: start.addingTimeInterval(Double(lengthMinutes * 60)),
                slotMinutes: slotMinutes)
            if let code {
                expectError(reply, status, code, field: field)
            } else {
                let window: AvailabilityWindow = try expectOK(reply, 201)
                #expect(window.doctorId == doctor.id)
                #expect(window.slotMinutes == slotMinutes)
                #expect(window.end.timeIntervalSince(window.start) == Double(lengthMinutes * 60))
            }
        }
    }

    /// New windows against one from 09:00 to 11:00: (from, to) in hours and minutes, overlapping or not.
    static let overlaps: [((Int, Int), (Int, Int), Bool)] = [
        ((8, 0), (9, 0), false),
        ((11, 0), (12, 0), false),
        ((8, 0), (9, 30), true),
        ((10, 30), (12, 0), true),
        ((9, 30), (10, 0), true),
        ((8, 0), (12, 0), true),
        ((9, 0), (11, 0), true),
    ]

    @Test("an overlapping window is 409 OVERLAPPING_AVAILABILITY; windows that only touch are fine",
          arguments: TestBackend.all, overlaps)
    func overlap(backend: TestBackend, _ row: ((Int, Int), (Int, Int), Bool)) async throws {
        let (from, to, overlapping) = row
        try await TestServer(backend).run { api in
            let admin = try await api.adminToken()
            let doctor = try await api.createDoctor(admin: admin)
            _ = try await api.addWindow(
                doctor, start: TestTime.day(2, hour: 9), end: TestTime.day(2, hour: 11), slotMinutes: 30)
            let reply = try await api.postWindow(
                doctor.accessToken, start: TestTime.day(2, hour: from.0, minute: from.1),
                end: TestTime.day(2, hour: to.0, minute: to.1), slotMinutes: 30)
            if overlapping {
                expectError(reply, 409, "OVERLAPPING_AVAILABILITY")
            } else {
                #expect(reply.status == .created, "\(reply.text)")
            }
            // another doctor's windows never get in the way
            let other = try await api.createDoctor(admin: admin)
            let elsewhere = try await api.postWindow(
                other.accessToken, start: TestTime.day(2, hour: 9), end: TestTime.day(2, hour: 11), slotMinutes: 30)
            #expect(elsewhere.status == .created)
        }
    }

    @Test("deleting a window is 204 and it is gone; an unknown or another doctor's window is 404",
          arguments: TestBackend.all)
    func delete(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            let other = try await api.createDoctor(admin: practice.admin)
            let path = "/v1/doctors/me/availability/\(practice.window.id)"
            expectError(try await api.delete(path, token: other.accessToken), 404, "NOT_FOUND")
            #expect(try await api.delete(path, token: practice.doctor.accessToken).status == .noContent)
            let left = try await api.page(
                "/v1/doctors/\(practice.doctor.id)/availability", token: practice.patient.accessToken,
                of: AvailabilityWindow.self)
            #expect(left.items.isEmpty)
            expectError(try await api.delete(path, token: practice.doctor.accessToken), 404, "NOT_FOUND")
        }
    }

    @Test("a window with a BOOKED appointment inside is 409 HAS_BOOKINGS; once cancelled it can go",
          arguments: TestBackend.all)
    func hasBookings(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            let booked = try await api.bookOK(
                practice.patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(5))
            let path = "/v1/doctors/me/availability/\(practice.window.id)"
            expectError(try await api.delete(path, token: practice.doctor.accessToken), 409, "HAS_BOOKINGS")
            #expect(try await api.cancel(practice.patient.accessToken, booked.id).status == .ok)
            #expect(try await api.delete(path, token: practice.doctor.accessToken).status == .noContent)
        }
    }

    @Test("GET availability lists a doctor's windows by start, filtered by from (inclusive) and to (exclusive)",
          arguments: TestBackend.all)
    func listWindows(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            let afternoon = try await api.addWindow(
                practice.doctor, start: TestTime.day(2, hour: 14), end: TestTime.day(2, hour: 16), slotMinutes: 60)
            let nextDay = try await api.addWindow(
                practice.doctor, start: TestTime.day(3, hour: 9), end: TestTime.day(3, hour: 10), slotMinutes: 60)
            let base = "/v1/doctors/\(practice.doctor.id)/availability"
            let token = practice.patient.accessToken
            let all = try await api.page(base, token: token, of: AvailabilityWindow.self)
            #expect(all.items == [practice.window, afternoon, nextDay])
            #expect(all.nextCursor == nil)
            let day2 = TestTime.dateString(TestTime.day(2))
            let day3 = TestTime.dateString(TestTime.day(3))
            let sameDay = try await api.page("\(base)?from=\(day2)&to=\(day3)", token: token, of: AvailabilityWindow.self)
            #expect(sameDay.items == [practice.window, afternoon])
            let afterNoon = try await api.page(
                "\(base)?from=\(iso(TestTime.day(2, hour: 12)))", token: token, of: AvailabilityWindow.self)
            #expect(afterNoon.items == [afternoon, nextDay])
            let own = try await api.page(
                "/v1/doctors/me/availability", token: practice.doctor.accessToken, of: AvailabilityWindow.self)
            #expect(own.items.count == 3)
            expectError(
                try await api.get("/v1/doctors/\(practice.patient.id)/availability", token: token), 404, "NOT_FOUND")
        }
    }

    @Test("slots of a day: every slot once, free unless an active appointment holds it; cancelling frees it",
          arguments: TestBackend.all)
    func slots(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice(slotMinutes: 60)
            _ = try await api.addWindow(
                practice.doctor, start: TestTime.day(2, hour: 14), end: TestTime.day(2, hour: 15), slotMinutes: 30)
            // a window of the next day must not show
            _ = try await api.addWindow(
                practice.doctor, start: TestTime.day(3, hour: 9), end: TestTime.day(3, hour: 10), slotMinutes: 60)
            let booked = try await api.bookOK(
                practice.patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(1))
            let uri = "/v1/doctors/\(practice.doctor.id)/slots?date=\(TestTime.dateString(practice.window.start))"

            let page = try await api.page(uri, token: practice.patient.accessToken, of: Slot.self)
            let expected = [(9, 60, true), (10, 60, false), (11, 60, true), (14, 30, true), (14, 30, true)]
                .enumerated().map { index, item in
                    let start = TestTime.day(2, hour: item.0, minute: index == 4 ? 30 : 0)
                    return Slot(start: start, end: start.addingTimeInterval(Double(item.1 * 60)), free: item.2)
                }
            #expect(page.items == expected)
            #expect(page.nextCursor == nil)
            expectError(try await api.get(uri), 401, "UNAUTHENTICATED")

            #expect(try await api.cancel(practice.patient.accessToken, booked.id).status == .ok)
            let after = try await api.page(uri, token: practice.patient.accessToken, of: Slot.self)
            #expect(after.items.allSatisfy { $0.free })
            #expect(after.items.count == 5)
        }
    }

    @Test("slots need a valid date and a doctor that exists",
          arguments: TestBackend.all, [("", 400), ("2026-13-01", 400), ("tomorrow", 400), ("2026-02-30", 400)])
    func slotsBadDate(backend: TestBackend, _ row: (String, Int)) async throws {
        let (date, status) = row
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            let reply = try await api.get(
                "/v1/doctors/\(practice.doctor.id)/slots?date=\(date)", token: practice.patient.accessToken)
            expectError(reply, status, "VALIDATION", field: "date")
            let unknown = try await api.get(
                "/v1/doctors/\(UUID().uuidString.lowercased())/slots?date=2030-01-01", token: practice.patient.accessToken)
            expectError(unknown, 404, "NOT_FOUND")
        }
    }

    @Test("a day without windows has no slots", arguments: TestBackend.all)
    func noSlots(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            let uri = "/v1/doctors/\(practice.doctor.id)/slots?date=\(TestTime.dateString(TestTime.day(5)))"
            let page = try await api.page(uri, token: practice.patient.accessToken, of: Slot.self)
            #expect(page.items.isEmpty)
            #expect(page.nextCursor == nil)
        }
    }
}
