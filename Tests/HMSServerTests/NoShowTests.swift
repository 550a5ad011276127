import Foundation
import HMSSyncCore
import HMSTestSupport
import HummingbirdTesting
import Testing
@testable import HMSServer

@Suite("CONTRACT §5: the no-show sweep, penalties and admin metrics")
struct NoShowTests {
    static let grace = 900

    /// Two doctors with 09:00–12:00 windows of 30-minute slots two days ahead. The first patient
    /// books five of the first doctor's slots (A, B, C, D, F) and cancels C; the second patient
    /// books the second doctor's first slot (G).
    struct Scene: Sendable {
        let practice: Practice
        let secondDoctor: DoctorAccount
        let secondPatient: Account
        let a, b, c, d, f, g: Appointment

        var first: Account { practice.patient }
        var doctor: DoctorAccount { practice.doctor }

        /// 11:40: A, B and G are past end + grace; F (11:00–11:30) is not until 11:45.
        var sweepTime: Date { practice.window.start.addingTimeInterval(2 * 3_600 + 40 * 60) }

        static func make(_ api: API) async throws -> Scene {
            let practice = try await api.practice()
            let secondDoctor = try await api.createDoctor(admin: practice.admin, name: "Dr Second", specialty: "dermatology")
            _ = try await api.addWindow(
                secondDoctor, start: practice.window.start, end: practice.window.end, slotMinutes: 30)
            let secondPatient = try await api.registerPatient("Second Patient")
            let token = practice.patient.accessToken
            let doctorId = practice.doctor.id
            let a = try await api.bookOK(token, doctorId: doctorId, start: practice.slot(0), reason: "A")
            let b = try await api.bookOK(token, doctorId: doctorId, start: practice.slot(1), reason: "B")
            let c = try await api.bookOK(token, doctorId: doctorId, start: practice.slot(2), reason: "C")
            let d = try await api.bookOK(token, doctorId: doctorId, start: practice.slot(3), reason: "D")
            let f = try await api.bookOK(token, doctorId: doctorId, start: practice.slot(4), reason: "F")
            let g = try await api.bookOK(secondPatient.accessToken, doctorId: secondDoctor.id, start: practice.slot(0))
            let cancelled: Appointment = try expectOK(try await api.cancel(token, c.id, reason: "cannot come"))
            #expect(cancelled.status == .cancelled)
            return Scene(
                practice: practice, secondDoctor: secondDoctor, secondPatient: secondPatient,
                a: a, b: b, c: c, d: d, f: f, g: g)
        }
    }

    /// Fresh tokens after a restart (the moved clock has expired the old access tokens); the
    /// doctor completes D, which has started by then.
    struct Tokens: Sendable {
        let admin, doctor, first, second: String

        static func make(_ api: API, _ scene: Scene) async throws -> Tokens {
            let tokens = Tokens(
                admin: try await api.adminToken(),
                doctor: try await api.login(scene.doctor.email, scene.doctor.password).accessToken,
                first: try await api.login(scene.first.user.email, scene.first.password).accessToken,
                second: try await api.login(scene.secondPatient.user.email, scene.secondPatient.password).accessToken)
            let completed: Appointment = try expectOK(try await api.complete(tokens.doctor, scene.d.id))
            #expect(completed.status == .completed)
            return tokens
        }
    }

    static func server(_ backend: TestBackend) async throws -> TestServer {
        try await TestServer(backend) { $0.noShowGrace = grace }
    }

    @Test("the sweep marks overdue bookings NO_SHOW with one penalty and one email each; a rerun answers zeros",
          arguments: TestBackend.all)
    func sweepCounts(backend: TestBackend) async throws {
        let server = try await Self.server(backend)
        let scene = try await server.run { api in try await Scene.make(api) }
        try await server.restarted(at: scene.sweepTime).run { api in
            let tokens = try await Tokens.make(api, scene)
            #expect(try await api.sweepOK(tokens.admin) == SweepCounts(3, 3, 3))
            #expect(try await api.sweepOK(tokens.admin) == SweepCounts(0, 0, 0))

            for overdue in [scene.a, scene.b, scene.g] {
                #expect(try await api.appointment(tokens.admin, overdue.id).status == .noShow)
            }
            // the patient reads it too
            #expect(try await api.appointment(tokens.first, scene.a.id).status == .noShow)
            #expect(try await api.appointment(tokens.admin, scene.c.id).status == .cancelled)
            let stillCompleted = try await api.appointment(tokens.admin, scene.d.id)
            #expect(stillCompleted.status == .completed && stillCompleted.diagnosis == "flu")
            #expect(try await api.appointment(tokens.admin, scene.f.id).status == .booked)
        }

        // once F's end + grace has passed too, the next sweep takes F alone
        try await server.restarted(at: scene.f.end.addingTimeInterval(TimeInterval(Self.grace) + 60)).run { api in
            let admin = try await api.adminToken()
            #expect(try await api.sweepOK(admin) == SweepCounts(1, 1, 1))
            #expect(try await api.appointment(admin, scene.f.id).status == .noShow)
            #expect(try await api.all("/v1/admin/penalties", token: admin, of: PenaltyItem.self).count == 4)
        }
        #expect(try await server.database.scalar("SELECT count(*) FROM email_outbox") == 4)
    }

    @Test("penalties are listed for the admin, newest first, and ?patientId= narrows them", arguments: TestBackend.all)
    func penaltiesListed(backend: TestBackend) async throws {
        let server = try await Self.server(backend)
        let scene = try await server.run { api in try await Scene.make(api) }
        try await server.restarted(at: scene.sweepTime).run { api in
            let tokens = try await Tokens.make(api, scene)
            _ = try await api.sweepOK(tokens.admin)

            let all = try await api.all("/v1/admin/penalties", token: tokens.admin, of: PenaltyItem.self)
            #expect(Set(all.map(\.appointmentId)) == [scene.a.id, scene.b.id, scene.g.id])
            #expect(all.count == 3)
            for penalty in all {
                #expect(penalty.reason == "NO_SHOW")
                let appointment = [scene.a, scene.b, scene.g].first { $0.id == penalty.appointmentId }
                #expect(penalty.patientId == appointment?.patientId)
                #expect(penalty.doctorId == appointment?.doctorId)
            }
            #expect(all.map(\.createdAt) == all.map(\.createdAt).sorted(by: >))

            let first = try await api.all(
                "/v1/admin/penalties?patientId=\(scene.first.id)", token: tokens.admin, of: PenaltyItem.self)
            #expect(Set(first.map(\.appointmentId)) == [scene.a.id, scene.b.id])
            let second = try await api.all(
                "/v1/admin/penalties?patientId=\(scene.secondPatient.id)", token: tokens.admin, of: PenaltyItem.self)
            #expect(second.map(\.appointmentId) == [scene.g.id])

            // paged one at a time, the same three
            let paged = try await api.all("/v1/admin/penalties?limit=1", token: tokens.admin, of: PenaltyItem.self)
            #expect(paged == all)
        }
    }

    @Test("the admin metrics count no-shows in total, per patient and per doctor, largest first",
          arguments: TestBackend.all)
    func adminMetrics(backend: TestBackend) async throws {
        let server = try await Self.server(backend)
        let scene = try await server.run { api in try await Scene.make(api) }
        try await server.restarted(at: scene.sweepTime).run { api in
            let tokens = try await Tokens.make(api, scene)
            let before: NoShowReport = try expectOK(try await api.get("/v1/admin/metrics", token: tokens.admin))
            #expect(before == NoShowReport(totalNoShows: 0, penaltiesByPatient: [], noShowsByDoctor: []))

            _ = try await api.sweepOK(tokens.admin)
            let report: NoShowReport = try expectOK(try await api.get("/v1/admin/metrics", token: tokens.admin))
            #expect(report.totalNoShows == 3)
            #expect(report.penaltiesByPatient == [
                .init(patientId: scene.first.id, name: scene.first.user.name, count: 2),
                .init(patientId: scene.secondPatient.id, name: "Second Patient", count: 1),
            ])
            #expect(report.noShowsByDoctor == [
                .init(doctorId: scene.doctor.id, name: scene.doctor.doctor.name, count: 2),
                .init(doctorId: scene.secondDoctor.id, name: "Dr Second", count: 1),
            ])
        }
    }

    @Test("only an admin may run the sweep or read penalties and metrics: 403 FORBIDDEN", arguments: TestBackend.all)
    func adminOnly(backend: TestBackend) async throws {
        let server = try await Self.server(backend)
        let scene = try await server.run { api in try await Scene.make(api) }
        try await server.restarted(at: scene.sweepTime).run { api in
            let tokens = try await Tokens.make(api, scene)
            for token in [tokens.doctor, tokens.first] {
                expectError(try await api.sweep(token), 403, "FORBIDDEN")
                expectError(try await api.get("/v1/admin/metrics", token: token), 403, "FORBIDDEN")
                expectError(try await api.get("/v1/admin/penalties", token: token), 403, "FORBIDDEN")
                expectError(
                    try await api.get("/v1/admin/penalties?patientId=\(scene.first.id)", token: token), 403, "FORBIDDEN")
            }
            expectError(try await api.sweep(nil), 401, "UNAUTHENTICATED")
            // nothing was swept by the refused calls
            #expect(try await api.appointment(tokens.admin, scene.a.id).status == .booked)
        }
    }

    @Test("a penalty reaches its patient's pull, and no other patient's or the doctor's", arguments: TestBackend.all)
    func penaltyInPull(backend: TestBackend) async throws {
        let server = try await Self.server(backend)
        let scene = try await server.run { api in try await Scene.make(api) }
        try await server.restarted(at: scene.sweepTime).run { api in
            let tokens = try await Tokens.make(api, scene)
            _ = try await api.sweepOK(tokens.admin)

            let firstPull = try await api.pullAll(tokens.first)
            let firstPenalties = firstPull.filter { $0.entity == "penalty" }
            #expect(firstPenalties.count == 2)
            #expect(Set(firstPenalties.compactMap { $0.row?["appointmentId"]?.stringValue }) == [scene.a.id, scene.b.id])
            #expect(firstPenalties.allSatisfy { $0.op == .put && $0.row?["patientId"]?.stringValue == scene.first.id })
            #expect(firstPenalties.allSatisfy { $0.row?["reason"]?.stringValue == "NO_SHOW" })
            // the appointment row in the same pull reads NO_SHOW
            let pulledA = firstPull.last { $0.entity == "appointment" && $0.entityId == scene.a.id }
            #expect(pulledA?.row?["status"]?.stringValue == "NO_SHOW")

            let secondPenalties = try await api.pullAll(tokens.second).filter { $0.entity == "penalty" }
            #expect(secondPenalties.compactMap { $0.row?["appointmentId"]?.stringValue } == [scene.g.id])

            #expect(try await api.pullAll(tokens.doctor).allSatisfy { $0.entity != "penalty" })
            #expect(try await api.pullAll(tokens.admin).filter { $0.entity == "penalty" }.count == 3)
        }
    }

    @Test("grace boundary: one second before end + grace the booking stays; at exactly end + grace it is overdue",
          arguments: TestBackend.all)
    func graceBoundary(backend: TestBackend) async throws {
        let server = try await Self.server(backend)
        let scene = try await server.run { api in try await Scene.make(api) }
        let mail = EscalationMail(clinicName: "HMS Clinic", domain: "hms.test")
        let due = scene.a.end.addingTimeInterval(TimeInterval(Self.grace))
        let database = server.database
        try await server.withStore { store in
            let early = try await store.sweepNoShows(
                now: due.addingTimeInterval(-1), grace: TimeInterval(Self.grace), mail: mail)
            #expect(early == NoShowSweepResult())
            #expect(try await database.status(of: scene.a.id) == "BOOKED")

            // A and G share their slot, so both fall due at that second
            let onTime = try await store.sweepNoShows(now: due, grace: TimeInterval(Self.grace), mail: mail)
            #expect(onTime == NoShowSweepResult(markedNoShow: 2, penaltiesCreated: 2, emailsQueued: 2))
            #expect(try await database.status(of: scene.a.id) == "NO_SHOW")
            #expect(try await database.status(of: scene.g.id) == "NO_SHOW")
            #expect(try await database.status(of: scene.b.id) == "BOOKED")
        }
    }

    @Test("the server clock a minute short of end + grace leaves the booking alone", arguments: TestBackend.all)
    func notYetOverdueOverHTTP(backend: TestBackend) async throws {
        let server = try await Self.server(backend)
        let scene = try await server.run { api in try await Scene.make(api) }
        let due = scene.a.end.addingTimeInterval(TimeInterval(Self.grace))
        try await server.restarted(at: due.addingTimeInterval(-60)).run { api in
            let admin = try await api.adminToken()
            #expect(try await api.sweepOK(admin) == SweepCounts(0, 0, 0))
            #expect(try await api.appointment(admin, scene.a.id).status == .booked)
        }
    }

    /// Twelve bookings of two patients with two doctors, all overdue at the end of the window.
    static func twelveOverdue(_ server: TestServer) async throws -> (ids: [String], overdueAt: Date) {
        try await server.run { api in
            let practice = try await api.practice()
            let other = try await api.createDoctor(admin: practice.admin, name: "Dr Other")
            _ = try await api.addWindow(other, start: practice.window.start, end: practice.window.end, slotMinutes: 30)
            let otherPatient = try await api.registerPatient("Other Patient")
            var ids: [String] = []
            for slot in 0..<6 {
                ids.append(try await api.bookOK(
                    practice.patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(slot)).id)
                ids.append(try await api.bookOK(otherPatient.accessToken, doctorId: other.id, start: practice.slot(slot)).id)
            }
            return (ids, practice.window.end.addingTimeInterval(TimeInterval(grace) + 60))
        }
    }

    /// Exactly one penalty per appointment and one queued email per penalty, read from the database.
    static func expectOnePenaltyAndEmailEach(_ server: TestServer, _ ids: [String]) async throws {
        let database = server.database
        let penalties = try await database.rows("SELECT appointment_id, count(*) FROM penalties GROUP BY appointment_id")
        #expect(Set(penalties.map { $0[0].string }) == Set(ids))
        #expect(penalties.allSatisfy { $0[1] == 1 })
        #expect(try await database.scalar("SELECT count(*) FROM email_outbox") == ids.count)
        #expect(try await database.scalar("SELECT count(DISTINCT penalty_id) FROM email_outbox") == ids.count)
        #expect(try await database.scalar("SELECT count(*) FROM appointments WHERE status = 'NO_SHOW'") == ids.count)
    }

    @Test("eight sweeps at once over real sockets: one penalty and one email per appointment",
          arguments: TestBackend.all)
    func concurrentSweepsOverHTTP(backend: TestBackend) async throws {
        let server = try await Self.server(backend)
        let (ids, overdueAt) = try await Self.twelveOverdue(server)
        try await server.restarted(at: overdueAt).run(.live) { api in
            let admin = try await api.adminToken()
            let results = try await withThrowingTaskGroup(of: SweepCounts.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await api.onNewConnection { try await $0.sweepOK(admin) } }
                }
                var results: [SweepCounts] = []
                for try await result in group { results.append(result) }
                return results
            }
            #expect(results.map(\.markedNoShow).reduce(0, +) == 12)
            #expect(results.map(\.penaltiesCreated).reduce(0, +) == 12)
            #expect(results.map(\.emailsQueued).reduce(0, +) == 12)
        }
        try await Self.expectOnePenaltyAndEmailEach(server, ids)
    }

    @Test("two servers sweeping the same database at once: one penalty and one email per appointment",
          arguments: TestBackend.all)
    func concurrentSweepsTwoStores(backend: TestBackend) async throws {
        let server = try await Self.server(backend)
        let (ids, overdueAt) = try await Self.twelveOverdue(server)
        let mail = EscalationMail(clinicName: "HMS Clinic", domain: "hms.test")
        let results = try await server.withStore { first in
            try await server.withStore { second in
                try await withThrowingTaskGroup(of: NoShowSweepResult.self) { group in
                    for store in [first, second] {
                        for _ in 0..<3 {
                            group.addTask {
                                try await store.sweepNoShows(
                                    now: overdueAt, grace: TimeInterval(Self.grace), mail: mail, batch: 5)
                            }
                        }
                    }
                    var total = NoShowSweepResult()
                    for try await result in group { total = total + result }
                    return total
                }
            }
        }
        #expect(results == NoShowSweepResult(markedNoShow: 12, penaltiesCreated: 12, emailsQueued: 12))
        try await Self.expectOnePenaltyAndEmailEach(server, ids)
    }
}

@Suite("CONTRACT §5: the automatic no-show sweep")
struct AutomaticSweepTests {
    /// One booking two days ahead, and the time at which it is overdue.
    static func oneBooking(_ server: TestServer) async throws -> (id: String, overdueAt: Date) {
        try await server.run { api in
            let practice = try await api.practice()
            let booked = try await api.bookOK(practice.patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(0))
            return (booked.id, booked.end.addingTimeInterval(TimeInterval(NoShowTests.grace) + 60))
        }
    }

    @Test("with an interval of 3 s the service marks an overdue booking by itself, not at start but soon after",
          arguments: TestBackend.all)
    func sweepsByItself(backend: TestBackend) async throws {
        let server = try await NoShowTests.server(backend)
        let booking = try await Self.oneBooking(server)
        let database = server.database
        try await server.restarted(at: booking.overdueAt) { $0.noShowInterval = 3 }.run(.live) { _ in
            // the first sweep waits a full interval
            #expect(try await database.status(of: booking.id) == "BOOKED")
            let marked = try await eventually(within: .seconds(10)) {
                try await database.status(of: booking.id) == "NO_SHOW"
            }
            #expect(marked)
            #expect(try await database.scalar("SELECT count(*) FROM penalties") == 1)
            #expect(try await database.scalar("SELECT count(*) FROM email_outbox") == 1)
        }
    }

    @Test("with an interval of 0 nothing is swept automatically", arguments: TestBackend.all)
    func intervalZeroIsOff(backend: TestBackend) async throws {
        let server = try await NoShowTests.server(backend)
        let booking = try await Self.oneBooking(server)
        let database = server.database
        try await server.restarted(at: booking.overdueAt) { $0.noShowInterval = 0 }.run(.live) { api in
            try await Task.sleep(for: .seconds(2))
            #expect(try await database.status(of: booking.id) == "BOOKED")
            #expect(try await database.scalar("SELECT count(*) FROM penalties") == 0)
            // the endpoint still works
            #expect(try await api.sweepOK(try await api.adminToken()) == SweepCounts(1, 1, 1))
        }
    }
}
