import Foundation
import HMSSyncCore
import HMSTestSupport
import HTTPTypes
import Testing
@testable import HMSServer

@Suite("CONTRACT §9.1: the admin's accounts (list, disable, enable) and a caller's own lists")
struct AccountAdminTests {
    typealias Item = AccountSummary

    // MARK: GET /v1/admin/users

    @Test("the admin lists every account as {id, name, email, role, disabled}, by name, paged without repeats",
          arguments: TestBackend.all)
    func listsAccounts(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let admin = try await api.adminToken()
            let doctor = try await api.createDoctor(admin: admin, name: "Dr Beta")
            let alice = try await api.registerPatient("Alice Alpha")
            let carol = try await api.registerPatient("Carol Gamma")

            let reply = try await api.get("/v1/admin/users", token: admin)
            let first = try #require((try reply.object()["items"] as? [[String: Any]])?.first)
            #expect(Set(first.keys) == ["id", "name", "email", "role", "disabled"])

            let everyone = try await api.all("/v1/admin/users", token: admin, of: Item.self)
            #expect(everyone.map(\.name) == ["Administrator", "Alice Alpha", "Carol Gamma", "Dr Beta"].sorted())
            #expect(everyone.contains(Item(id: doctor.id, name: "Dr Beta", email: doctor.email, role: .doctor, disabled: false)))
            let paged = try await api.all("/v1/admin/users?limit=1", token: admin, of: Item.self)
            #expect(paged == everyone)

            let patients = try await api.all("/v1/admin/users?role=patient", token: admin, of: Item.self)
            #expect(Set(patients.map(\.id)) == [alice.id, carol.id])
        }
    }

    @Test("q matches the name or the email, in any case; % and _ are taken literally", arguments: TestBackend.all)
    func search(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let admin = try await api.adminToken()
            let alice = try await api.registerPatient("Alice Alpha")
            let under = try await api.registerPatient("Under_Score")
            _ = try await api.registerPatient("Carol Gamma")

            func ids(_ q: String) async throws -> Set<String> {
                let encoded = q.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                return Set(try await api.all("/v1/admin/users?q=\(encoded)", token: admin, of: Item.self).map(\.id))
            }
            #expect(try await ids("aLiCe") == [alice.id])
            let emailPart = String(alice.user.email.split(separator: "@")[0]).uppercased()
            #expect(try await ids(emailPart) == [alice.id])
            #expect(try await ids("_") == [under.id])
            #expect(try await ids("%").isEmpty)
            #expect(try await ids("e_a").isEmpty, "_ is no wildcard (it would match every \"example\" email)")
            #expect(try await ids("nobody-by-this-name").isEmpty)
        }
    }

    @Test("the account list is admin only, and a bad role is 400 VALIDATION", arguments: TestBackend.all)
    func listGuards(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            expectError(try await api.get("/v1/admin/users"), 401, "UNAUTHENTICATED")
            expectError(try await api.get("/v1/admin/users", token: practice.patient.accessToken), 403, "FORBIDDEN")
            expectError(try await api.get("/v1/admin/users", token: practice.doctor.accessToken), 403, "FORBIDDEN")
            expectError(try await api.get("/v1/admin/users?role=superuser", token: practice.admin), 400, "VALIDATION", field: "role")
            let longQuery = String(repeating: "q", count: 300)
            let reply = try await api.get("/v1/admin/users?q=\(longQuery)", token: practice.admin)
            expectError(reply, 400, "VALIDATION", field: "q")
            #expect(!reply.text.contains(longQuery))
            // a control character (here U+0007) is refused like in any text field
            expectError(try await api.get("/v1/admin/users?q=a%07b", token: practice.admin), 400, "VALIDATION", field: "q")
        }
    }

    // MARK: disable and enable

    @Test("disabling answers 200 with the account; while disabled, its tokens, refresh and right-password login are 403 DISABLED",
          arguments: TestBackend.all)
    func disable(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let admin = try await api.adminToken()
            let patient = try await api.registerPatient("Dee Sabled")
            let disabled: Item = try expectOK(try await api.post("/v1/admin/users/\(patient.id)/disable", token: admin))
            #expect(disabled == Item(id: patient.id, name: "Dee Sabled", email: patient.user.email, role: .patient, disabled: true))
            let again: Item = try expectOK(try await api.post("/v1/admin/users/\(patient.id)/disable", token: admin))
            #expect(again == disabled)

            expectError(try await api.get("/v1/me", token: patient.accessToken), 403, "DISABLED")
            expectError(try await api.get("/v1/appointments", token: patient.accessToken), 403, "DISABLED")
            expectError(
                try await api.post("/v1/auth/refresh", json: ["refreshToken": patient.refreshToken]), 403, "DISABLED")
            expectError(
                try await api.post("/v1/auth/login", json: ["email": patient.user.email, "password": patient.password]),
                403, "DISABLED")
            expectError(
                try await api.post("/v1/auth/login", json: ["email": patient.user.email, "password": "wrong-password"]),
                401, "INVALID_CREDENTIALS")
            let listed = try await api.all("/v1/admin/users?role=patient", token: admin, of: Item.self)
            #expect(listed.first { $0.id == patient.id }?.disabled == true)
        }
    }

    @Test("enabling answers 200 and lets the user log in again; tokens from before stay 401",
          arguments: TestBackend.all)
    func enable(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let admin = try await api.adminToken()
            let patient = try await api.registerPatient()
            try await api.post("/v1/admin/users/\(patient.id)/disable", token: admin)
            let enabled: Item = try expectOK(try await api.post("/v1/admin/users/\(patient.id)/enable", token: admin))
            #expect(!enabled.disabled)
            let again: Item = try expectOK(try await api.post("/v1/admin/users/\(patient.id)/enable", token: admin))
            #expect(again == enabled)

            expectError(try await api.get("/v1/me", token: patient.accessToken), 401, "UNAUTHENTICATED")
            expectError(
                try await api.post("/v1/auth/refresh", json: ["refreshToken": patient.refreshToken]), 401, "UNAUTHENTICATED")
            let fresh = try await api.login(patient.user.email, patient.password)
            #expect(try await api.get("/v1/me", token: fresh.accessToken).status == .ok)
        }
    }

    @Test("DISABLED is checked before BLACKLISTED", arguments: TestBackend.all)
    func disabledBeforeBlacklisted(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let admin = try await api.adminToken()
            let doctor = try await api.createDoctor(admin: admin)
            #expect(try await api.blacklist(admin, doctor.id).status == .ok)
            try await api.post("/v1/admin/users/\(doctor.id)/disable", token: admin)
            expectError(try await api.get("/v1/me", token: doctor.accessToken), 403, "DISABLED")
            expectError(
                try await api.post("/v1/auth/login", json: ["email": doctor.email, "password": doctor.password]),
                403, "DISABLED")
            try await api.post("/v1/admin/users/\(doctor.id)/enable", token: admin)
            expectError(
                try await api.post("/v1/auth/login", json: ["email": doctor.email, "password": doctor.password]),
                403, "BLACKLISTED")
        }
    }

    @Test("an admin can't disable themself (403 FORBIDDEN); unknown ids are 404; only admins may disable",
          arguments: TestBackend.all)
    func disableGuards(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            let me: User = try expectOK(try await api.get("/v1/me", token: practice.admin))
            expectError(try await api.post("/v1/admin/users/\(me.id)/disable", token: practice.admin), 403, "FORBIDDEN")
            #expect(try await api.get("/v1/me", token: practice.admin).status == .ok)
            let unknown = UUID().uuidString.lowercased()
            expectError(try await api.post("/v1/admin/users/\(unknown)/disable", token: practice.admin), 404, "NOT_FOUND")
            expectError(try await api.post("/v1/admin/users/not-an-id/enable", token: practice.admin), 404, "NOT_FOUND")
            expectError(
                try await api.post("/v1/admin/users/\(practice.patient.id)/disable", token: practice.doctor.accessToken),
                403, "FORBIDDEN")
            #expect(try await api.get("/v1/me", token: practice.patient.accessToken).status == .ok)
        }
    }

    // MARK: GET /v1/me/penalties

    @Test("a patient reads their own penalties, paged, in §5's shape; others see none of them; patients only",
          arguments: TestBackend.all)
    func ownPenalties(backend: TestBackend) async throws {
        let server = try await TestServer(backend) { $0.noShowGrace = 900 }
        let (practice, other, booked) = try await server.run { api in
            let practice = try await api.practice(day: 1)
            let other = try await api.registerPatient("Other Patient")
            let booked = try await api.bookOK(
                practice.patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(0))
            return (practice, other, booked)
        }
        try await server.restarted(at: practice.window.end.addingTimeInterval(900 + 60)).run { api in
            let admin = try await api.adminToken()
            #expect(try await api.sweepOK(admin).penaltiesCreated == 1)
            let patient = try await api.login(practice.patient.user.email, practice.patient.password)

            let reply = try await api.get("/v1/me/penalties", token: patient.accessToken)
            let item = try #require((try reply.object()["items"] as? [[String: Any]])?.first)
            #expect(Set(item.keys) == ["id", "patientId", "appointmentId", "doctorId", "reason", "createdAt"])
            let page: Page<PenaltyItem> = try expectOK(reply)
            #expect(page.items.map(\.appointmentId) == [booked.id])
            #expect(page.items.first?.patientId == practice.patient.id)
            #expect(page.items.first?.reason == "NO_SHOW")
            #expect(try await api.all("/v1/me/penalties?limit=1", token: patient.accessToken, of: PenaltyItem.self) == page.items)

            let otherLogin = try await api.login(other.user.email, other.password)
            #expect(try await api.page("/v1/me/penalties", token: otherLogin.accessToken, of: PenaltyItem.self).items.isEmpty)
            let doctor = try await api.login(practice.doctor.email, practice.doctor.password)
            expectError(try await api.get("/v1/me/penalties", token: doctor.accessToken), 403, "FORBIDDEN")
            expectError(try await api.get("/v1/me/penalties", token: admin), 403, "FORBIDDEN")
            expectError(try await api.get("/v1/me/penalties"), 401, "UNAUTHENTICATED")
        }
    }

    // MARK: GET /v1/appointments filters for doctors and patients

    @Test("doctors and patients may filter by status, date, from and to, and still see only their own",
          arguments: TestBackend.all)
    func ownFilteredAppointments(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            let otherDoctor = try await api.createDoctor(admin: practice.admin, name: "Dr Other")
            _ = try await api.addWindow(
                otherDoctor, start: practice.window.start, end: practice.window.end, slotMinutes: 30)
            let otherPatient = try await api.registerPatient("Other Patient")
            let patient = practice.patient.accessToken
            let mine0 = try await api.bookOK(patient, doctorId: practice.doctor.id, start: practice.slot(0))
            let mine1 = try await api.bookOK(patient, doctorId: otherDoctor.id, start: practice.slot(1))
            let mine2 = try await api.bookOK(patient, doctorId: practice.doctor.id, start: practice.slot(2))
            let theirs0 = try await api.bookOK(otherPatient.accessToken, doctorId: otherDoctor.id, start: practice.slot(0))
            let theirs1 = try await api.bookOK(otherPatient.accessToken, doctorId: practice.doctor.id, start: practice.slot(1))
            #expect(try await api.cancel(patient, mine2.id).status == .ok)

            func ids(_ token: String, _ query: String) async throws -> Set<String> {
                Set(try await api.all("/v1/appointments?\(query)", token: token, of: Appointment.self).map(\.id))
            }
            let day = TestTime.dateString(practice.window.start)
            let from = iso(practice.slot(1)).addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let to = iso(practice.slot(2)).addingPercentEncoding(withAllowedCharacters: .alphanumerics)!

            #expect(try await ids(patient, "date=\(day)") == [mine0.id, mine1.id, mine2.id])
            #expect(try await ids(patient, "status=BOOKED&date=\(day)") == [mine0.id, mine1.id])
            #expect(try await ids(patient, "status=CANCELLED") == [mine2.id])
            #expect(try await ids(patient, "from=\(from)&to=\(to)") == [mine1.id])
            #expect(try await ids(patient, "date=\(day)&patientId=\(otherPatient.id)") == [mine0.id, mine1.id, mine2.id])

            let doctor = practice.doctor.accessToken
            #expect(try await ids(doctor, "date=\(day)") == [mine0.id, theirs1.id, mine2.id])
            #expect(try await ids(doctor, "status=BOOKED&date=\(day)") == [mine0.id, theirs1.id])
            #expect(try await ids(doctor, "from=\(from)&to=\(to)") == [theirs1.id])
            #expect(try await ids(doctor, "status=BOOKED&doctorId=\(otherDoctor.id)") == [mine0.id, theirs1.id])
            #expect(try await ids(otherDoctor.accessToken, "status=BOOKED") == [mine1.id, theirs0.id])
        }
    }
}
