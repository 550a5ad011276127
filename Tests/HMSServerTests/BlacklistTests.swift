import Foundation
import HMSSyncCore
import HMSTestSupport
import HTTPTypes
import Testing
@testable import HMSServer

@Suite("CONTRACT §2, §5: blacklisted doctors")
struct BlacklistTests {
    @Test("a blacklisted doctor can't log in, refresh, or use a token issued before: 403 BLACKLISTED",
          arguments: TestBackend.all)
    func blacklistedDoctorIsRefused(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let admin = try await api.adminToken()
            let doctor = try await api.createDoctor(admin: admin)
            #expect(try await api.get("/v1/me", token: doctor.accessToken).status == .ok)

            let reply = try await api.blacklist(admin, doctor.id)
            let listed: Doctor = try expectOK(reply)
            #expect(listed.blacklisted)

            expectError(
                try await api.post("/v1/auth/login", json: ["email": doctor.email, "password": doctor.password]), 403,
                "BLACKLISTED")
            expectError(
                try await api.post("/v1/auth/refresh", json: ["refreshToken": doctor.refreshToken]), 403, "BLACKLISTED")
            expectError(try await api.get("/v1/me", token: doctor.accessToken), 403, "BLACKLISTED")
            expectError(try await api.get("/v1/appointments", token: doctor.accessToken), 403, "BLACKLISTED")
        }
    }

    @Test("a wrong password for a blacklisted doctor is still INVALID_CREDENTIALS", arguments: TestBackend.all)
    func wrongPasswordStaysInvalid(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let admin = try await api.adminToken()
            let doctor = try await api.createDoctor(admin: admin)
            _ = try await api.blacklist(admin, doctor.id)
            let reply = try await api.post("/v1/auth/login", json: ["email": doctor.email, "password": "wrong-one"])
            expectError(reply, 401, "INVALID_CREDENTIALS")
        }
    }

    @Test("booking a blacklisted doctor is 409 DOCTOR_UNAVAILABLE; the directory shows the flag",
          arguments: TestBackend.all)
    func bookingBlacklistedDoctor(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            _ = try await api.blacklist(practice.admin, practice.doctor.id)
            let reply = try await api.book(
                practice.patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(0))
            expectError(reply, 409, "DOCTOR_UNAVAILABLE")
            let directory = try await api.page("/v1/doctors", token: practice.patient.accessToken, of: Doctor.self)
            #expect(directory.items.first { $0.id == practice.doctor.id }?.blacklisted == true)
        }
    }

    @Test("blacklist and unblacklist are idempotent: 200 twice with the same body", arguments: TestBackend.all)
    func idempotent(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let admin = try await api.adminToken()
            let doctor = try await api.createDoctor(admin: admin, name: "Dr Ames", specialty: "dermatology")
            let first = try await api.blacklist(admin, doctor.id)
            let second = try await api.blacklist(admin, doctor.id)
            #expect(first.status == .ok && second.status == .ok)
            #expect(first.text == second.text)
            let listed: Doctor = try first.decode()
            #expect(listed == Doctor(id: doctor.id, name: "Dr Ames", email: doctor.email, specialty: "dermatology",
                                     blacklisted: true))

            let third = try await api.blacklist(admin, doctor.id, false)
            let fourth = try await api.blacklist(admin, doctor.id, false)
            #expect(third.status == .ok && fourth.status == .ok)
            #expect(third.text == fourth.text)
            #expect(try third.decode(Doctor.self).blacklisted == false)
        }
    }

    @Test("an unblacklisted doctor logs in again; the token from before the blacklisting stays refused",
          arguments: TestBackend.all)
    func unblacklisted(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let admin = try await api.adminToken()
            let doctor = try await api.createDoctor(admin: admin)
            _ = try await api.blacklist(admin, doctor.id)
            _ = try await api.blacklist(admin, doctor.id, false)
            let pair = try await api.login(doctor.email, doctor.password)
            #expect(try await api.get("/v1/me", token: pair.accessToken).status == .ok)
            expectError(try await api.get("/v1/me", token: doctor.accessToken), 401, "UNAUTHENTICATED")
        }
    }

    @Test("blacklisting an unknown doctor, or a patient, is 404 NOT_FOUND", arguments: TestBackend.all)
    func unknownDoctor(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let admin = try await api.adminToken()
            let patient = try await api.registerPatient()
            expectError(try await api.blacklist(admin, UUID().uuidString.lowercased()), 404, "NOT_FOUND")
            expectError(try await api.blacklist(admin, patient.id), 404, "NOT_FOUND")
            expectError(try await api.blacklist(admin, "not-an-id"), 404, "NOT_FOUND")
        }
    }

    @Test("no token family can start for a blacklisted doctor, even past the login's own check",
          arguments: TestBackend.all)
    func noFamilyWhileBlacklisted(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        let doctorId = try await server.run { api in
            let admin = try await api.adminToken()
            let doctor = try await api.createDoctor(admin: admin)
            _ = try await api.blacklist(admin, doctor.id)
            return doctor.id
        }
        try await server.withStore { store in
            await #expect(throws: DomainError(.blacklisted, "this doctor is blacklisted")) {
                try await store.startFamily(userId: doctorId, refreshHash: "h", expiresAt: Date() + 60, now: Date())
            }
        }
    }
}
