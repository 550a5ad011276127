import Foundation
import HMSSyncCore
import HMSTestSupport
import PostgresNIO
import Testing

@testable import HMSServer

/// Push sequencing and pulls on PostgreSQL, across servers on one database.
extension PostgresStoreTests {
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
