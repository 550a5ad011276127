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
}
