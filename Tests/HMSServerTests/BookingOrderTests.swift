import Foundation
import HMSSyncCore
import HMSTestSupport
import HTTPTypes
import Testing

/// A clinic where bookings can break several rules at once: doctor D (09:00–12:00, 30-minute
/// slots, two days ahead) whose 09:00 slot patient Q holds; doctor E with the same hours, where
/// patient P holds 09:00; doctor X with the same hours, blacklisted; P also holds D at 10:00 (`ownId`).
struct Tangle: Sendable {
    let admin: String
    let d: DoctorAccount
    let e: DoctorAccount
    let x: DoctorAccount
    let p: Account
    let q: Account
    let ownId: String
    let window: AvailabilityWindow

    func at(_ hour: Int, _ minute: Int = 0) -> Date { TestTime.day(2, hour: hour, minute: minute) }
}

extension API {
    func tangle() async throws -> Tangle {
        let practice = try await practice()
        let e = try await createDoctor(admin: practice.admin, name: "Dr E")
        let x = try await createDoctor(admin: practice.admin, name: "Dr X")
        for doctor in [e, x] {
            _ = try await addWindow(doctor, start: practice.window.start, end: practice.window.end, slotMinutes: 30)
        }
        _ = try await blacklist(practice.admin, x.id)
        let q = try await registerPatient("Q")
        _ = try await bookOK(q.accessToken, doctorId: practice.doctor.id, start: practice.slot(0))
        _ = try await bookOK(practice.patient.accessToken, doctorId: e.id, start: practice.slot(0))
        let own = try await bookOK(
            practice.patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(2), reason: "own")
        return Tangle(
            admin: practice.admin, d: practice.doctor, e: e, x: x, p: practice.patient, q: q, ownId: own.id,
            window: practice.window)
    }
}

@Suite("CONTRACT §4: when a booking breaks several rules, the first in the contract's order answers")
struct BookingOrderTests {
    enum Case: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case forbiddenBeforeValidation
        case validationBeforeUsedId
        case usedIdBeforeNotFound
        case sameIdAndContentBeforeTakenSlot
        case unknownDoctorBeforeOutside
        case unknownDoctorBeforeUnknownPatient
        case unknownPatientBeforeBlacklisted
        case blacklistedBeforeOutside
        case blacklistedBeforePatientBusy
        case outsideBeforeInPast
        case takenBeforePatientBusy

        var testDescription: String { rawValue }

        var expected: (Int, String) {
            switch self {
            case .forbiddenBeforeValidation: (403, "FORBIDDEN")
            case .validationBeforeUsedId: (400, "VALIDATION")
            case .usedIdBeforeNotFound: (409, "DUPLICATE")
            case .sameIdAndContentBeforeTakenSlot: (200, "")
            case .unknownDoctorBeforeOutside, .unknownDoctorBeforeUnknownPatient, .unknownPatientBeforeBlacklisted:
                (404, "NOT_FOUND")
            case .blacklistedBeforeOutside, .blacklistedBeforePatientBusy: (409, "DOCTOR_UNAVAILABLE")
            case .outsideBeforeInPast: (422, "OUTSIDE_AVAILABILITY")
            case .takenBeforePatientBusy: (409, "SLOT_TAKEN")
            }
        }

        func send(_ api: API, _ t: Tangle) async throws -> Reply {
            let unknown = UUID().uuidString.lowercased()
            switch self {
            case .forbiddenBeforeValidation:
                return try await api.post("/v1/appointments", token: t.d.accessToken, json: ["doctorId": 5])
            case .validationBeforeUsedId:
                return try await api.book(
                    t.p.accessToken, doctorId: t.d.id, start: t.at(10), id: t.ownId,
                    reason: String(repeating: "r", count: 1_001))
            case .usedIdBeforeNotFound:
                return try await api.book(t.p.accessToken, doctorId: unknown, start: t.at(7, 7), id: t.ownId)
            case .sameIdAndContentBeforeTakenSlot:
                return try await api.book(t.p.accessToken, doctorId: t.d.id, start: t.at(10), id: t.ownId, reason: "own")
            case .unknownDoctorBeforeOutside:
                return try await api.book(t.p.accessToken, doctorId: unknown, start: t.at(7, 7))
            case .unknownDoctorBeforeUnknownPatient:
                return try await api.book(t.admin, doctorId: unknown, start: t.at(9), patientId: unknown)
            case .unknownPatientBeforeBlacklisted:
                return try await api.book(t.admin, doctorId: t.x.id, start: t.at(7, 7), patientId: unknown)
            case .blacklistedBeforeOutside:
                return try await api.book(t.p.accessToken, doctorId: t.x.id, start: t.at(7, 7))
            case .blacklistedBeforePatientBusy:
                // X's 09:00 clashes with P's booking at E too
                return try await api.book(t.p.accessToken, doctorId: t.x.id, start: t.at(9))
            case .outsideBeforeInPast:
                return try await api.book(t.p.accessToken, doctorId: t.d.id, start: TestTime.day(-1, hour: 9))
            case .takenBeforePatientBusy:
                return try await api.book(t.p.accessToken, doctorId: t.d.id, start: t.at(9))
            }
        }
    }

    @Test("the first broken rule answers", arguments: TestBackend.all, Case.allCases)
    func order(backend: TestBackend, _ which: Case) async throws {
        try await TestServer(backend).run { api in
            let tangle = try await api.tangle()
            let reply = try await which.send(api, tangle)
            let (status, code) = which.expected
            if code.isEmpty {
                #expect(reply.status.code == status, "\(reply.text)")
            } else {
                let body = expectError(reply, status, code)
                if which == .unknownDoctorBeforeUnknownPatient {
                    #expect(body?.error.contains("doctor") == true, "\(reply.text)")
                }
                if which == .unknownPatientBeforeBlacklisted {
                    #expect(body?.error.contains("patient") == true, "\(reply.text)")
                }
            }
        }
    }
}
