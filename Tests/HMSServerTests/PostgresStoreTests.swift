import Foundation
import HMSSyncCore
import HMSTestSupport
import PostgresNIO
import Testing

@testable import HMSServer

@Suite("PostgreSQL store: intents, push and pull written once, safe across servers on one database")
struct PostgresStoreTests {
    static let now = PostgresClinic.at(8)

    static func newId() -> String { UUID().uuidString.lowercased() }

    static func isCreated(_ outcome: BookingOutcome) -> Bool {
        if case .created = outcome { true } else { false }
    }

    /// Runs every body at once and answers what each returned or threw, in order.
    static func atOnce<T: Sendable>(_ bodies: [@Sendable () async throws -> T]) async -> [Result<T, any Error>] {
        await withTaskGroup(of: (Int, Result<T, any Error>).self) { group in
            for (index, body) in bodies.enumerated() {
                group.addTask {
                    do { return (index, .success(try await body())) } catch { return (index, .failure(error)) }
                }
            }
            var results: [(Int, Result<T, any Error>)] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    @Test("book, cancel and complete run through the flows; retries of one id at once store it once")
    func intents() async throws {
        try await PostgresClinic.run(servers: 2) { clinic in
            let (doctor, patients) = try await clinic.practice(patients: 2)
            let store = clinic.store
            let first = BookIntent(
                appointmentId: Self.newId(), doctorId: doctor, start: PostgresClinic.at(10), reason: "check-up",
                patientId: patients[0])
            let booked = try await store.book(first, actor: PostgresClinic.admin, now: Self.now)
            #expect(Self.isCreated(booked))
            #expect(booked.appointment.status == .booked && booked.appointment.end == PostgresClinic.at(10.5))
            #expect(booked.appointment.doctor.name == "Doctor One" && booked.appointment.patient.name == "Patient 0")
            let again = try await store.book(first, actor: PostgresClinic.admin, now: Self.now)
            #expect(!Self.isCreated(again) && again.appointment == booked.appointment)
            var moved = first
            moved.start = PostgresClinic.at(11)
            #expect(await domainError { _ = try await store.book(moved, actor: PostgresClinic.admin, now: Self.now) }?.code == .duplicate)

            // Six sends of one new booking at once, spread over both servers: one stores it.
            let second = BookIntent(
                appointmentId: Self.newId(), doctorId: doctor, start: PostgresClinic.at(11), patientId: patients[1])
            let sends = await Self.atOnce((0..<6).map { index in
                { @Sendable in try await clinic.stores[index % 2].book(second, actor: PostgresClinic.admin, now: Self.now) }
            })
            let outcomes = try sends.map { try $0.get() }
            #expect(outcomes.filter(Self.isCreated).count == 1)
            #expect(Set(outcomes.map(\.appointment.id)) == [second.appointmentId])

            let owner = Actor(userId: patients[0], role: .patient)
            let cancelled = try await store.cancel(
                CancelIntent(appointmentId: first.appointmentId, reason: "away"), actor: owner, now: Self.now)
            #expect(cancelled.status == .cancelled && cancelled.cancelReason == "away")
            #expect(await domainError {
                _ = try await store.cancel(CancelIntent(appointmentId: first.appointmentId), actor: owner, now: Self.now)
            } == Lifecycle.refusal(from: .cancelled, on: .cancel))
            #expect(await domainError {
                _ = try await store.cancel(CancelIntent(appointmentId: second.appointmentId), actor: owner, now: Self.now)
            }?.code == .notFound)

            let doctorActor = Actor(userId: doctor, role: .doctor)
            let done = CompleteIntent(appointmentId: second.appointmentId, diagnosis: "well", treatment: "rest")
            let completed = try await store.complete(done, actor: doctorActor, now: PostgresClinic.at(11.2))
            #expect(completed.status == .completed && completed.diagnosis == "well")
            #expect(await domainError {
                _ = try await store.complete(done, actor: doctorActor, now: PostgresClinic.at(11.3))
            } == Lifecycle.refusal(from: .completed, on: .complete))
            // A status update that meets a final state (a path that skipped the flow's lock) answers
            // the lifecycle's refusal and changes nothing.
            #expect(await domainError {
                try await store.transaction { tx in try tx.setCancelled(id: second.appointmentId, reason: nil, now: Self.now) }
            } == Lifecycle.refusal(from: .completed, on: .cancel))

            #expect(try await clinic.count("SELECT count(*) FROM appointments") == 2)
            #expect(try await clinic.count("SELECT count(*) FROM busy WHERE NOT ended") == 1)
            #expect(try await clinic.count("SELECT count(*) FROM changes WHERE entity = 'busy' AND deleted") == 1)
        }
    }

    @Test("an overlap is SLOT_TAKEN for the doctor and PATIENT_BUSY for the patient, by the rule and by the constraints")
    func overlaps() async throws {
        try await PostgresClinic.run { clinic in
            let (doctor, patients) = try await clinic.practice(patients: 2)
            let other = PostgresClinic.id(2)
            try await clinic.addPeople([(other, "Doctor Two", .doctor)])
            _ = try await clinic.store.addWindow(
                doctorId: other, start: PostgresClinic.at(9), end: PostgresClinic.at(17), slotMinutes: 30)
            let store = clinic.store
            let ten = PostgresClinic.at(10)
            _ = try await store.book(
                BookIntent(appointmentId: Self.newId(), doctorId: doctor, start: ten, patientId: patients[0]), actor: PostgresClinic.admin, now: Self.now)

            let sameSlot = BookIntent(appointmentId: Self.newId(), doctorId: doctor, start: ten, patientId: patients[1])
            #expect(await domainError { _ = try await store.book(sameSlot, actor: PostgresClinic.admin, now: Self.now) }?.code == .slotTaken)
            let samePatient = BookIntent(appointmentId: Self.newId(), doctorId: other, start: ten, patientId: patients[0])
            #expect(await domainError { _ = try await store.book(samePatient, actor: PostgresClinic.admin, now: Self.now) } == OverlapRule.patientBusy)

            // What another server commits after this one read its facts: the constraints refuse it.
            let slot = TimeRange(start: ten.addingTimeInterval(600), end: ten.addingTimeInterval(2400))
            #expect(await domainError {
                try await store.transaction { tx in
                    _ = try tx.insertBooked(sameSlot, patientId: patients[1], slot: slot, now: Self.now)
                }
            }?.code == .slotTaken)
            #expect(await domainError {
                try await store.transaction { tx in
                    _ = try tx.insertBooked(samePatient, patientId: patients[0], slot: slot, now: Self.now)
                }
            } == OverlapRule.patientBusy)
            #expect(try await clinic.count("SELECT count(*) FROM appointments") == 1)
        }
    }

    @Test("30 bookings of one slot at once on two servers: exactly one wins, the rest are SLOT_TAKEN")
    func sameSlotAtOnce() async throws {
        try await PostgresClinic.run(servers: 2) { clinic in
            let (doctor, patients) = try await clinic.practice(patients: 30)
            let results = await Self.atOnce(patients.enumerated().map { index, patient in
                { @Sendable in
                    try await clinic.stores[index % 2].book(
                        BookIntent(appointmentId: Self.newId(), doctorId: doctor, start: PostgresClinic.at(12), patientId: patient), actor: PostgresClinic.admin,
                        now: Self.now)
                }
            })
            let won = results.compactMap { try? $0.get() }
            #expect(won.count == 1 && won.allSatisfy(Self.isCreated))
            let refusals = results.compactMap { result -> DomainError? in
                if case .failure(let error) = result { error as? DomainError } else { nil }
            }
            #expect(refusals.count == 29 && refusals.allSatisfy { $0.code == .slotTaken })
            #expect(try await clinic.count("SELECT count(*) FROM appointments") == 1)
            #expect(try await clinic.count("SELECT count(*) FROM busy") == 1)
            #expect(try await clinic.count("SELECT count(*) FROM changes WHERE entity = 'appointment'") == 1)
        }
    }

    @Test("a booking and the removal of its window at once on two servers: never both")
    func windowRemovalAgainstBooking() async throws {
        try await PostgresClinic.run(servers: 2) { clinic in
            let (doctor, patients) = try await clinic.practice(patients: 1)
            for dayIndex in 1...8 {
                let start = PostgresClinic.at(24 * Double(dayIndex) + 9)
                let window = try await clinic.store.addWindow(
                    doctorId: doctor, start: start, end: start.addingTimeInterval(3600), slotMinutes: 30)
                let booking = BookIntent(appointmentId: Self.newId(), doctorId: doctor, start: start, patientId: patients[0])
                async let booked = domainError { _ = try await clinic.stores[0].book(booking, actor: PostgresClinic.admin, now: Self.now) }
                async let removed = domainError { try await clinic.stores[1].removeWindow(doctorId: doctor, id: window.id) }
                let (bookError, removeError) = await (booked, removed)
                // Whichever went first, the other one is refused.
                #expect((bookError == nil) != (removeError == nil))
                #expect(bookError == nil || bookError?.code == .outsideAvailability)
                #expect(removeError == nil || removeError?.code == .hasBookings)
            }
        }
    }

    @Test("the same push sent at once to two servers applies each mutation once and answers alike")
    func pushExactlyOnce() async throws {
        try await PostgresClinic.run(servers: 2) { clinic in
            let (doctor, patients) = try await clinic.practice(patients: 1)
            let actor = Actor(userId: patients[0], role: .patient)
            let ids = (0..<4).map { _ in Self.newId() }
            let mutations = ids.enumerated().map { index, id in
                let intent = Intent.book(BookIntent(appointmentId: id, doctorId: doctor, start: PostgresClinic.at(9 + Double(index))))
                return Mutation(id: index + 1, name: intent.name, args: IntentArgs.args(of: intent), clientTime: Self.now)
            }
            let pushes = await Self.atOnce((0..<4).map { index in
                { @Sendable in
                    try await clinic.stores[index % 2].push(clientId: "client-1", actor: actor, mutations: mutations, now: Self.now)
                }
            })
            for push in pushes {
                guard case .handled(let response) = try push.get() else {
                    Issue.record("a push stopped")
                    continue
                }
                #expect(response.lastMutationId == 4)
                #expect(response.results.map(\.id) == [1, 2, 3, 4] && response.results.allSatisfy { $0.status == .applied })
            }
            #expect(try await clinic.count("SELECT count(*) FROM appointments") == 4)
            #expect(try await clinic.count("SELECT count(*) FROM sync_mutations") == 4)
            #expect(try await clinic.count("SELECT last_mutation_id FROM sync_clients WHERE id = 'client-1'") == 4)

            let skipping = Mutation(id: 6, name: "cancel", args: .object(["appointmentId": .string(ids[0])]), clientTime: nil)
            guard case .stopped(let stop) = try await clinic.store.push(
                clientId: "client-1", actor: actor, mutations: [skipping], now: Self.now)
            else {
                Issue.record("a gap was applied")
                return
            }
            #expect(stop.code == .mutationGap)
            let stranger = Actor(userId: PostgresClinic.id(1), role: .doctor)
            #expect(await domainError { try await clinic.store.checkClientOwner(clientId: "client-1", userId: stranger.userId) }?
                .code == .forbidden)
        }
    }

    /// Every change `actor` pulls from `cursor` to the end, `limit` at a time, with the pages' count.
    static func pullAll(_ store: PostgresStore, _ actor: Actor, from cursor: String? = nil, limit: Int)
        async throws -> (changes: [OutgoingChange], pages: Int, cursor: String?)
    {
        var cursor = cursor
        var changes: [OutgoingChange] = []
        var pages = 0
        while true {
            let page = try await store.pull(clientId: "pull-\(actor.userId)", actor: actor, cursorText: cursor, limit: limit, now: now)
            pages += 1
            changes += page.changes
            cursor = page.cursor
            if !page.hasMore { return (changes, pages, cursor) }
        }
    }

    @Test("pull pages through the actor's scope in change order; a cursor of another database resets")
    func pullPages() async throws {
        try await PostgresClinic.run { clinic in
            let (doctor, patients) = try await clinic.practice(patients: 3)
            let admin = Actor(userId: PostgresClinic.id(900), role: .admin)
            try await clinic.addPeople([(admin.userId, "Admin", .admin)])
            var booked: [(id: String, patient: String)] = []
            for (index, patient) in [0, 0, 1, 1, 2].map({ patients[$0] }).enumerated() {
                let id = Self.newId()
                _ = try await clinic.store.book(
                    BookIntent(appointmentId: id, doctorId: doctor, start: PostgresClinic.at(10 + Double(index)), patientId: patient), actor: PostgresClinic.admin,
                    now: Self.now)
                booked.append((id, patient))
            }

            let all = try await Self.pullAll(clinic.store, admin, limit: 2)
            #expect(all.pages == 3)
            #expect(all.changes.map(\.entity) == ["availability"] + Array(repeating: "appointment", count: 5))
            #expect(all.changes.dropFirst().map(\.id) == booked.map(\.id))
            #expect(all.changes.allSatisfy { $0.row != nil })

            let idle = try await clinic.store.pull(
                clientId: "pull-\(admin.userId)", actor: admin, cursorText: all.cursor, limit: 2, now: Self.now)
            #expect(idle.changes.isEmpty && !idle.hasMore && idle.cursor == all.cursor && !idle.reset)
            _ = try await clinic.store.cancel(
                CancelIntent(appointmentId: booked[0].id), actor: Actor(userId: booked[0].patient, role: .patient), now: Self.now)
            let next = try await Self.pullAll(clinic.store, admin, from: all.cursor, limit: 2)
            #expect(next.changes.map(\.id) == [booked[0].id])
            #expect((next.changes.first?.row as? Appointment)?.status == .cancelled)

            let foreign = PullCursor(databaseId: "another-database", seq: 3).encoded
            let reset = try await clinic.store.pull(clientId: "pull-\(admin.userId)", actor: admin, cursorText: foreign, limit: 50, now: Self.now)
            #expect(reset.reset && reset.changes.count == 6)

            // A patient: the windows, their own appointments, and the others' busy rows (the
            // cancelled one as a delete).
            let patient = try await Self.pullAll(clinic.store, Actor(userId: patients[1], role: .patient), limit: 4)
            let entities = patient.changes.map(\.entity)
            #expect(entities.filter { $0 == "availability" }.count == 1)
            #expect(patient.changes.filter { $0.entity == "appointment" }.map(\.id) == booked[2...3].map(\.id))
            #expect(patient.changes.filter { $0.entity == "busy" && $0.row != nil }.count == 2)
            #expect(patient.changes.filter { $0.entity == "busy" && $0.row == nil }.count == 1)
            #expect(patient.changes.count == 6)
            #expect(try await clinic.count("SELECT count(*) FROM sync_clients") == 2)
        }
    }

    @Test("pulls through one server while another books: no change is skipped")
    func pullUnderWriters() async throws {
        try await PostgresClinic.run(servers: 2) { clinic in
            let (doctor, patients) = try await clinic.practice(patients: 16)
            let admin = Actor(userId: PostgresClinic.id(900), role: .admin)
            try await clinic.addPeople([(admin.userId, "Admin", .admin)])
            let finished = Flag()
            let writers = Task {
                let results = await Self.atOnce(patients.enumerated().map { index, patient in
                    { @Sendable in
                        try await clinic.stores[0].book(
                            BookIntent(
                                appointmentId: Self.newId(), doctorId: doctor, start: PostgresClinic.at(9 + Double(index) / 2),
                                patientId: patient), actor: PostgresClinic.admin,
                            now: Self.now)
                    }
                })
                finished.set()
                return results
            }
            // Pull to the end again and again while the writers run, and once more after they end.
            var seen: Set<String> = []
            var cursor: String?
            while true {
                let done = finished.isSet
                let pulled = try await Self.pullAll(clinic.stores[1], admin, from: cursor, limit: 3)
                cursor = pulled.cursor
                for change in pulled.changes where change.entity == "appointment" { seen.insert(change.id) }
                if done { break }
            }
            let results = await writers.value
            #expect(results.allSatisfy { (try? $0.get()) != nil })
            let booked = Set(results.compactMap { try? $0.get().appointment.id })
            #expect(booked.count == patients.count)
            #expect(seen == booked)
        }
    }
}
