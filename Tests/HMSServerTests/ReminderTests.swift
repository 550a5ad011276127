import Foundation
import HMSSyncCore
import HMSTestSupport
import HTTPTypes
import HummingbirdTesting
import Testing
@testable import HMSServer

@Suite("CONTRACT §9.4: reminders, one per booked appointment, through the mail outbox")
struct ReminderTests {
    static let clinic = "Sunrise Clinic"
    static let sender = "desk@sunrise.example"
    static let mail = ReminderMail(clinicName: "HMS Clinic", domain: "hms.test", timeZone: .gmt)

    static func server(_ backend: TestBackend, _ configure: @escaping (inout Config) -> Void = { _ in }) async throws
        -> TestServer
    {
        try await TestServer(backend) { config in
            config.clinicName = clinic
            config.mailFrom = sender
            config.mailPollInterval = 1
            config.mailRetryBase = 1
            configure(&config)
        }
    }

    /// The practice's morning two days ahead: `remindable` (at most 5) bookings of distinct patients
    /// from its first slot on, one more booking cancelled, one booking two days later (beyond the lead).
    struct Booked: Sendable {
        let practice: Practice
        let patients: [Account]
        let remindable: [Appointment]
        let cancelled: Appointment
        let later: Appointment
        /// Twelve hours before the first slot: the morning is inside the default lead of a day.
        var remindAt: Date { practice.slot(0).addingTimeInterval(-12 * 3_600) }
    }

    static func book(_ server: TestServer, remindable: Int = 2) async throws -> Booked {
        try await server.run { api in
            let practice = try await api.practice()
            var patients = [practice.patient]
            for index in 1..<remindable { patients.append(try await api.registerPatient("Patient \(index)")) }
            var booked: [Appointment] = []
            for (index, patient) in patients.enumerated() {
                booked.append(try await api.bookOK(
                    patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(index),
                    reason: "private-reason-\(index)"))
            }
            let token = practice.patient.accessToken
            let cancelled = try await api.bookOK(token, doctorId: practice.doctor.id, start: practice.slot(remindable))
            #expect(try await api.cancel(token, cancelled.id).status == .ok)
            let farDay = try await api.addWindow(
                practice.doctor, start: TestTime.day(4, hour: 9), end: TestTime.day(4, hour: 10), slotMinutes: 30)
            let later = try await api.bookOK(token, doctorId: practice.doctor.id, start: farDay.start)
            return Booked(practice: practice, patients: patients, remindable: booked, cancelled: cancelled, later: later)
        }
    }

    static func reminderRows(_ server: TestServer) async throws -> [String] {
        try await server.database.rows("SELECT reminder_appointment_id FROM email_outbox WHERE reminder_appointment_id IS NOT NULL")
            .map { $0[0].string ?? "" }
    }

    @Test("a sweep queues one reminder per booked appointment starting within the lead; reruns and restarts queue none",
          arguments: TestBackend.all)
    func queuedOnce(backend: TestBackend) async throws {
        let server = try await Self.server(backend)
        let booked = try await Self.book(server)
        try await server.restarted(at: booked.remindAt).run { api in
            let admin = try await api.adminToken()
            let counts = try await api.sweep(admin).object()
            #expect(counts["remindersQueued"] as? Int == 2)
            #expect(counts["emailsQueued"] as? Int == 0, "emailsQueued counts escalation mail only")
            #expect(counts["markedNoShow"] as? Int == 0)
            #expect(try await api.remindersQueued(admin) == 0)

            // each queued reminder is audited, naming its appointment and patient
            let rows = try await api.all("/v1/admin/audit", token: admin, of: AuditItem.self)
                .filter { $0.action == "POST /v1/admin/jobs/no-show queue-reminder" }
            #expect(Set(rows.compactMap(\.entityId)) == Set(booked.remindable.map(\.id)))
            #expect(Set(rows.compactMap(\.patientId)) == Set(booked.patients.map(\.id)))
        }
        try await server.restarted(at: booked.remindAt.addingTimeInterval(600)).run { api in
            let queued = try await api.remindersQueued(try await api.adminToken())
            #expect(queued == 0)
        }
        let rows = try await Self.reminderRows(server)
        #expect(rows.sorted() == booked.remindable.map(\.id).sorted())
    }

    @Test("the lead bounds it: now < start ≤ now + lead, to the second", arguments: TestBackend.all)
    func leadBounds(backend: TestBackend) async throws {
        let server = try await Self.server(backend)
        let booked = try await Self.book(server)
        let (first, second) = (booked.remindable[0], booked.remindable[1])
        let lead: TimeInterval = 3_600
        let queued = try await server.withStore { store in
            // the first starts exactly at now + lead: due; the second, 30 minutes later, is not
            let early = try await store.queueReminders(now: first.start.addingTimeInterval(-lead), lead: lead, mail: Self.mail)
            // at the first one's start it has begun (and has its reminder); the second is due
            let late = try await store.queueReminders(now: first.start, lead: lead, mail: Self.mail)
            return [early, late]
        }
        #expect(queued == [1, 1])
        #expect(try await Self.reminderRows(server).sorted() == [first.id, second.id].sorted())
    }

    @Test("HMS_REMINDER_LEAD=0 turns reminders off", arguments: TestBackend.all)
    func leadZeroIsOff(backend: TestBackend) async throws {
        let server = try await Self.server(backend) { $0.reminderLead = 0 }
        let booked = try await Self.book(server)
        try await server.restarted(at: booked.remindAt).run { api in
            let queued = try await api.remindersQueued(try await api.adminToken())
            #expect(queued == 0)
        }
        #expect(try await Self.reminderRows(server).isEmpty)
    }

    @Test("two servers sweeping at once, three sweeps each: one reminder per appointment", arguments: TestBackend.all)
    func concurrentSweepers(backend: TestBackend) async throws {
        let server = try await Self.server(backend)
        let booked = try await Self.book(server, remindable: 5)
        let now = booked.remindAt
        let total = try await server.withStore { first in
            try await server.withStore { second in
                try await withThrowingTaskGroup(of: Int.self) { group in
                    for store in [first, second] {
                        for _ in 0..<3 {
                            group.addTask { try await store.queueReminders(now: now, lead: 86_400, mail: Self.mail, batch: 2) }
                        }
                    }
                    return try await group.reduce(0, +)
                }
            }
        }
        #expect(total == 5)
        let rows = try await Self.reminderRows(server)
        #expect(rows.count == 5 && Set(rows) == Set(booked.remindable.map(\.id)))
    }

    @Test("eight sweeps at once over real sockets queue each reminder once", arguments: TestBackend.all)
    func concurrentSweepsOverHTTP(backend: TestBackend) async throws {
        let server = try await Self.server(backend)
        let booked = try await Self.book(server, remindable: 4)
        try await server.restarted(at: booked.remindAt).run(.live) { api in
            let admin = try await api.adminToken()
            let counts = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await api.onNewConnection { try await $0.remindersQueued(admin) ?? -1 }
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(counts.allSatisfy { $0 >= 0 } && counts.reduce(0, +) == 4)
        }
        #expect(try await Self.reminderRows(server).count == 4)
    }

    @Test("delivered to a real SMTP server: to the patient, Message-ID <reminder-ID@domain>, the doctor and time, no clinical text",
          arguments: TestBackend.all)
    func delivered(backend: TestBackend) async throws {
        let server = try await Self.server(backend) { $0.clinicTimeZone = "Europe/London" }
        let booked = try await Self.book(server, remindable: 1)
        let sink = try SMTPSink()
        try await sink.start()
        defer { sink.stop() }
        let appointment = booked.remindable[0]
        try await server.restarted(at: booked.remindAt) { $0.smtpURL = sink.url }.run(.live) { api in
            #expect(try await api.remindersQueued(try await api.adminToken()) == 1)
            #expect(try await sink.waitFor(1))
            try await Task.sleep(for: .seconds(2.5))
        }
        let messages = try sink.messages()
        #expect(messages.count == 1)
        let message = try #require(messages.first)
        let patient = booked.patients[0]
        #expect(message.envelopeTo == [patient.user.email] && message.headers["to"] == patient.user.email)
        #expect(message.headers["from"] == Self.sender)
        #expect(message.headers["subject"] == "Appointment reminder from \(Self.clinic)")
        #expect(message.headers["message-id"] == "<reminder-\(appointment.id)@sunrise.example>")
        #expect(message.body.contains(patient.user.name) && message.body.contains(booked.practice.doctor.doctor.name))
        #expect(message.body.contains(Self.londonTime(appointment.start)) && message.body.contains("Europe/London"))
        #expect(!message.body.contains("private-reason"), "no clinical text in a reminder")
        #expect(try await server.database.scalar(
            "SELECT count(*) FROM email_outbox WHERE reminder_appointment_id IS NOT NULL AND sent_at IS NOT NULL") == 1)
    }

    @Test("an unsent reminder whose appointment is cancelled is dropped, never sent; the others are",
          arguments: TestBackend.all)
    func droppedAfterCancel(backend: TestBackend) async throws {
        let server = try await Self.server(backend)
        let booked = try await Self.book(server)
        let (kept, cancelled) = (booked.remindable[0], booked.remindable[1])
        try await server.restarted(at: booked.remindAt).run { api in
            #expect(try await api.remindersQueued(try await api.adminToken()) == 2)
            let patient = booked.patients[1]
            let token = try await api.login(patient.user.email, patient.password).accessToken
            #expect(try await api.cancel(token, cancelled.id).status == .ok)
        }
        let sink = try SMTPSink()
        try await sink.start()
        defer { sink.stop() }
        try await server.restarted(at: booked.remindAt.addingTimeInterval(60)) { $0.smtpURL = sink.url }.run(.live) { _ in
            #expect(try await sink.waitFor(1))
            try await Task.sleep(for: .seconds(2.5))
        }
        #expect(try sink.messages().map { $0.headers["message-id"] } == ["<reminder-\(kept.id)@sunrise.example>"])
        #expect(try await Self.reminderRows(server) == [kept.id])
    }

    @Test("the outbox schema holds each message to one subject: a penalty or an appointment, never neither or both",
          arguments: TestBackend.all)
    func oneSubjectPerMessage(backend: TestBackend) async throws {
        let server = try await Self.server(backend)
        let booked = try await Self.book(server, remindable: 1)
        let queued = try await server.withStore { store in
            try await store.queueReminders(now: booked.remindAt, lead: 86_400, mail: Self.mail)
        }
        #expect(queued == 1)
        let database = server.database
        let insert = """
            INSERT INTO email_outbox (id, penalty_id, reminder_appointment_id, recipient, subject, body, message_id,
                                      next_attempt_at, created_at)
            VALUES ($1, NULL, $2, 'x', 'x', 'x', 'x', 0, 0)
            """
        // a second reminder for the same appointment, and a message about nothing
        await #expect(throws: (any Error).self) {
            try await database.execute(insert, [.text(UUID().uuidString), .text(booked.remindable[0].id)])
        }
        await #expect(throws: (any Error).self) {
            try await database.execute(insert, [.text(UUID().uuidString), .null])
        }
        #expect(try await database.scalar("SELECT count(*) FROM email_outbox") == 1)
    }

    @Test("HMS_REMINDER_LEAD: a day by default, 0 allowed, a bad value names itself")
    func setting() throws {
        #expect(try Config.resolve { _ in nil }.reminderLead == 86_400)
        #expect(try Config.resolve { $0 == "HMS_REMINDER_LEAD" ? "0" : nil }.reminderLead == 0)
        #expect(try Config.resolve { $0 == "HMS_REMINDER_LEAD" ? "3600" : nil }.reminderLead == 3_600)
        for bad in ["-1", "soon", "2592001"] {
            #expect { try Config.resolve { $0 == "HMS_REMINDER_LEAD" ? bad : nil } } throws: { error in
                (error as? ConfigError)?.setting == "HMS_REMINDER_LEAD"
            }
        }
    }

    /// `HH:mm` on London's clock, as the reminder writes the time.
    static func londonTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Europe/London")
        formatter.dateFormat = "d MMMM yyyy 'at' HH:mm"
        return formatter.string(from: date)
    }
}

extension API {
    /// Runs the sweep as `admin`: the answer's `remindersQueued`.
    func remindersQueued(_ admin: String) async throws -> Int? {
        try await sweep(admin).object()["remindersQueued"] as? Int
    }
}
