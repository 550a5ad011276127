import Foundation
import HMSSyncCore
import HMSTestSupport
import HTTPTypes
import HummingbirdTesting
import Testing
@testable import HMSServer

@Suite("CONTRACT §9.5: FHIR reads sit behind the /v1 auth, audit and visibility")
struct FHIRAuditTests {
    @Test("reading an Appointment and a Patient, and searching, write the audit rows /v1 reads do",
          arguments: TestBackend.all)
    func readsAreAudited(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run(.live) { api in
            let practice = try await api.practice()
            let booked = try await api.bookOK(practice.patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(0))
            let token = practice.patient.accessToken
            for (path, requestId) in [
                ("/fhir/R4/Appointment/\(booked.id)", "fhir-read-1"), ("/fhir/R4/Patient/\(practice.patient.id)", "fhir-read-2"),
                ("/fhir/R4/Appointment?patient=\(practice.patient.id)", "fhir-read-3"),
            ] {
                let reply = try await api.request(.get, path, token: token, headers: [.requestId: requestId])
                #expect(reply.status.code == 200 && reply.headers[.contentType]?.hasPrefix("application/fhir+json") == true)
                let rows = try await AuditCompletenessTests.rows(server, requestId: requestId)
                #expect(rows.count == 1 && rows.first?.patientId == practice.patient.id && rows.first?.outcome == "success",
                        "\(path): \(rows)")
                #expect(rows.first?.actorId == practice.patient.id)
            }
            let routes = try await AuditCompletenessTests.rows(server, requestId: "fhir-read-1").map(\.action)
            #expect(routes == ["GET /fhir/R4/Appointment/{id}"])
        }
    }

    @Test("another patient's Appointment is a 404 OperationOutcome, audited as a refusal; no token is a 401 one",
          arguments: TestBackend.all)
    func otherPatientsAreNotFound(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run(.live) { api in
            let practice = try await api.practice()
            let other = try await api.registerPatient("Other")
            let theirs = try await api.bookOK(other.accessToken, doctorId: practice.doctor.id, start: practice.slot(1))
            let reply = try await api.request(
                .get, "/fhir/R4/Appointment/\(theirs.id)", token: practice.patient.accessToken, headers: [.requestId: "fhir-404"])
            #expect(reply.status.code == 404)
            let outcome = try reply.object()
            #expect(outcome["resourceType"] as? String == "OperationOutcome")
            #expect(!reply.text.contains(other.user.name), "nothing about the other patient is told")
            let rows = try await AuditCompletenessTests.rows(server, requestId: "fhir-404")
            #expect(rows.map(\.outcome) == ["NOT_FOUND"])
            let anonymous = try await api.request(.get, "/fhir/R4/Patient/\(other.id)", token: nil)
            #expect(anonymous.status.code == 401 && anonymous.text.contains("OperationOutcome"))
            let metadata = try await api.request(.get, "/fhir/R4/metadata", token: nil)
            #expect(metadata.status.code == 200 && metadata.text.contains("\"fhirVersion\":\"4.0.1\""))
        }
    }
}
