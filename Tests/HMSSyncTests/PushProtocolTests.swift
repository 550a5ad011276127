import Foundation
import HMSSyncCore
import HMSTestSupport
import Testing

/// CONTRACT.md §6 "Push", spoken directly over HTTP as any client would.
@Suite struct PushProtocolTests {
    /// A patient, a doctor with two free slots tomorrow, and the patient's raw push.
    struct Setting: Sendable {
        let server: LiveServer
        let admin: Account
        let doctor: Account
        let patient: Account
        let slots: [Date]

        static func make(_ server: LiveServer) async throws -> Setting {
            let admin = try await server.clinic.admin()
            let doctor = try await server.clinic.addDoctor("Wilson", admin: admin)
            let start = TestTime.tomorrow.addingTimeInterval(11 * 3600)
            try await server.clinic.addWindow(doctor, start: start, slots: 3)
            return Setting(
                server: server, admin: admin, doctor: doctor, patient: try await server.clinic.addPatient("Erin"),
                slots: (0..<3).map { start.addingTimeInterval(TimeInterval($0 * 1800)) })
        }

        func book(_ id: Int, appointment: String, slot: Int, reason: String = "visit") -> Mutation {
            Mutation(
                id: id, name: "book",
                args: .object(["appointmentId": .string(appointment), "doctorId": .string(doctor.id),
                               "start": .string(RFC3339.format(slots[slot])), "reason": .string(reason)]),
                clientTime: Date())
        }

        func cancel(_ id: Int, appointment: String) -> Mutation {
            Mutation(id: id, name: "cancel", args: .object(["appointmentId": .string(appointment)]), clientTime: Date())
        }

        func push(_ mutations: [Mutation], client: String, as account: Account? = nil, schemaVersion: Int? = 1) async throws
            -> Answer
        {
            try await server.rest.send(
                "POST", "/v1/sync/push", token: (account ?? patient).accessToken,
                json: PushRequest(clientId: client, schemaVersion: schemaVersion, mutations: mutations))
        }
    }

    static func newClient() -> String { UUID().uuidString.lowercased() }

    @Test(arguments: TestBackend.all)
    func aGapIsRefusedWithTheExpectedIdAndNothingFromTheGapOnIsApplied(backend: TestBackend) async throws {
        try await LiveServer.run(backend) { server in
            let setting = try await Setting.make(server)
            let client = Self.newClient()
            let first = UUID().uuidString.lowercased()
            let skipped = UUID().uuidString.lowercased()

            let gap = try await setting.push([setting.book(2, appointment: skipped, slot: 1)], client: client)
            #expect(gap.status == 409)
            #expect(gap.code == "MUTATION_GAP")
            #expect(gap.error?.details?["expected"] == .int(1))

            // 1 is handled; 3 is a gap after it: the answer is the gap, 3 is not applied.
            let partial = try await setting.push(
                [setting.book(1, appointment: first, slot: 0), setting.book(3, appointment: skipped, slot: 1)], client: client)
            #expect(partial.status == 409)
            #expect(partial.code == "MUTATION_GAP")
            #expect(partial.error?.details?["expected"] == .int(2))
            #expect(try await server.clinic.appointments(as: setting.admin).map(\.id).contains(skipped) == false)

            // Whatever became of 1, a retry of it answers one result and the client goes on at 2.
            let retry = try await setting.push([setting.book(1, appointment: first, slot: 0)], client: client)
            #expect(retry.status == 200, "\(String(decoding: retry.body, as: UTF8.self))")
            let answer = try retry.decode(PushResponse.self)
            #expect(answer.results == [MutationResult(id: 1, status: .applied)])
            #expect(answer.lastMutationId == 1)
            let next = try await setting.push([setting.book(2, appointment: skipped, slot: 1)], client: client)
            #expect(try next.decode(PushResponse.self).lastMutationId == 2)
            #expect(try await server.clinic.appointments(as: setting.admin).count == 2)
        }
    }

    @Test(arguments: TestBackend.all)
    func aBatchStoppedByAMismatchKeepsTheMutationsBeforeIt(backend: TestBackend) async throws {
        try await LiveServer.run(backend) { server in
            let setting = try await Setting.make(server)
            let client = Self.newClient()
            let appointment = UUID().uuidString.lowercased()
            let book = setting.book(1, appointment: appointment, slot: 0)
            // The same id twice with other content: the second is a mismatch with the first.
            let stopped = try await setting.push([book, setting.book(1, appointment: appointment, slot: 0, reason: "other")],
                                                 client: client)
            #expect(stopped.status == 409)
            #expect(stopped.code == "MUTATION_MISMATCH")
            let retry = try await setting.push([book, setting.cancel(2, appointment: appointment)], client: client)
            #expect(retry.status == 200, "\(String(decoding: retry.body, as: UTF8.self))")
            #expect(try retry.decode(PushResponse.self).lastMutationId == 2)
            #expect(try await server.clinic.appointments(as: setting.admin).map(\.status) == [.cancelled])
        }
    }

    @Test(arguments: TestBackend.all)
    func aRetryAnswersTheStoredResultAndAppliesNothingAgain(backend: TestBackend) async throws {
        try await LiveServer.run(backend) { server in
            let setting = try await Setting.make(server)
            let client = Self.newClient()
            let appointment = UUID().uuidString.lowercased()
            let batch = [setting.book(1, appointment: appointment, slot: 0), setting.cancel(2, appointment: appointment)]
            let first = try await setting.push(batch, client: client).decode(PushResponse.self)
            #expect(first.results.map(\.status) == [.applied, .applied])
            let before = try await server.clinic.appointments(as: setting.admin)

            // Handling the cancel again would be INVALID_TRANSITION; a retry answers "applied".
            let again = try await setting.push(batch, client: client)
            #expect(again.status == 200)
            #expect(try again.decode(PushResponse.self) == first)
            #expect(try await server.clinic.appointments(as: setting.admin) == before)
            #expect(before.map(\.status) == [.cancelled])

            let retryOfOne = try await setting.push([batch[1]], client: client).decode(PushResponse.self)
            #expect(retryOfOne == PushResponse(lastMutationId: 2, results: [MutationResult(id: 2, status: .applied)]))
        }
    }

    @Test(arguments: TestBackend.all)
    func aRetryWithOtherContentIsAMismatch(backend: TestBackend) async throws {
        try await LiveServer.run(backend) { server in
            let setting = try await Setting.make(server)
            let client = Self.newClient()
            let appointment = UUID().uuidString.lowercased()
            _ = try await setting.push([setting.book(1, appointment: appointment, slot: 0)], client: client)
            let changed = try await setting.push(
                [setting.book(1, appointment: appointment, slot: 0, reason: "another reason")], client: client)
            #expect(changed.status == 409)
            #expect(changed.code == "MUTATION_MISMATCH")
            #expect(changed.error?.details?["id"] == .int(1))
            #expect(try await server.clinic.appointments(as: setting.admin).map(\.reason) == ["visit"])
        }
    }

    @Test(arguments: TestBackend.all, [0, 2])
    func anUnservedSchemaVersionNeedsAnUpgradeOnPushAndPull(backend: TestBackend, version: Int) async throws {
        try await LiveServer.run(backend) { server in
            let setting = try await Setting.make(server)
            let client = Self.newClient()
            let push = try await setting.push([setting.book(1, appointment: UUID().uuidString.lowercased(), slot: 0)],
                                              client: client, schemaVersion: version)
            #expect(push.status == 426)
            #expect(push.code == "UPGRADE_REQUIRED")
            let pull = try await server.rest.send(
                "GET", "/v1/sync/pull?clientId=\(client)&schemaVersion=\(version)", token: setting.patient.accessToken)
            #expect(pull.status == 426)
            #expect(pull.code == "UPGRADE_REQUIRED")
            #expect(try await server.clinic.appointments(as: setting.admin).isEmpty)
        }
    }

    @Test(arguments: TestBackend.all)
    func aMissingSchemaVersionIsAValidationError(backend: TestBackend) async throws {
        try await LiveServer.run(backend) { server in
            let setting = try await Setting.make(server)
            let client = Self.newClient()
            let push = try await setting.push([], client: client, schemaVersion: nil)
            #expect(push.status == 400)
            #expect(push.code == "VALIDATION")
            #expect(push.error?.details?["field"] == .string("schemaVersion"))
            let pull = try await server.rest.send("GET", "/v1/sync/pull?clientId=\(client)", token: setting.patient.accessToken)
            #expect(pull.status == 400)
            #expect(pull.code == "VALIDATION")
        }
    }

    @Test(arguments: TestBackend.all)
    func moreThan500MutationsIsAValidationErrorAndNothingIsApplied(backend: TestBackend) async throws {
        try await LiveServer.run(backend) { server in
            let setting = try await Setting.make(server)
            let client = Self.newClient()
            let tooMany = (1...501).map { setting.cancel($0, appointment: UUID().uuidString.lowercased()) }
            let answer = try await setting.push(tooMany, client: client)
            #expect(answer.status == 400)
            #expect(answer.code == "VALIDATION")
            let empty = try await setting.push([], client: client)
            #expect(try empty.decode(PushResponse.self).lastMutationId == 0)

            // Exactly 500 is allowed: each cancel of an unknown appointment is a handled rejection.
            let most = try await setting.push(Array(tooMany.prefix(500)), client: client).decode(PushResponse.self)
            #expect(most.lastMutationId == 500)
            #expect(most.results.allSatisfy { $0.status == .rejected && $0.code == "NOT_FOUND" })
        }
    }

    @Test(arguments: TestBackend.all)
    func anEmptyPushAnswersTheClientsLastMutationId(backend: TestBackend) async throws {
        try await LiveServer.run(backend) { server in
            let setting = try await Setting.make(server)
            let client = Self.newClient()
            let fresh = try await setting.push([], client: client)
            #expect(fresh.status == 200)
            #expect(try fresh.decode(PushResponse.self) == PushResponse(lastMutationId: 0, results: []))
            _ = try await setting.push(
                [setting.book(1, appointment: UUID().uuidString.lowercased(), slot: 0),
                 setting.book(2, appointment: UUID().uuidString.lowercased(), slot: 0)], client: client)
            #expect(try await setting.push([], client: client).decode(PushResponse.self)
                == PushResponse(lastMutationId: 2, results: []))
        }
    }

    @Test(arguments: TestBackend.all)
    func anotherUsersClientIdIsForbiddenOnPushAndPull(backend: TestBackend) async throws {
        try await LiveServer.run(backend) { server in
            let setting = try await Setting.make(server)
            let client = Self.newClient()
            _ = try await setting.push([], client: client)
            let intruder = try await server.clinic.addPatient("Mallory")
            let push = try await setting.push([setting.book(1, appointment: UUID().uuidString.lowercased(), slot: 0)],
                                              client: client, as: intruder)
            #expect(push.status == 403)
            #expect(push.code == "FORBIDDEN")
            let pull = try await server.rest.send(
                "GET", "/v1/sync/pull?clientId=\(client)&schemaVersion=1", token: intruder.accessToken)
            #expect(pull.status == 403)
            #expect(pull.code == "FORBIDDEN")
            // The owner check comes before the version check.
            let oldVersion = try await setting.push([], client: client, as: intruder, schemaVersion: 0)
            #expect(oldVersion.status == 403)
            #expect(try await server.clinic.appointments(as: setting.admin).isEmpty)

            // A client first named by a pull is bound too.
            let pulledFirst = Self.newClient()
            _ = try await server.rest.expect(
                "GET", "/v1/sync/pull?clientId=\(pulledFirst)&schemaVersion=1", token: intruder.accessToken, as: PullResponse.self)
            #expect(try await setting.push([], client: pulledFirst).status == 403)
        }
    }

    @Test(arguments: TestBackend.all)
    func pushIsJudgedWithThePushersRightsAndAnUnknownNameIsAValidationRejection(backend: TestBackend) async throws {
        try await LiveServer.run(backend) { server in
            let setting = try await Setting.make(server)
            let doctorClient = Self.newClient()
            let asDoctor = try await setting.push(
                [setting.book(1, appointment: UUID().uuidString.lowercased(), slot: 0),
                 Mutation(id: 2, name: "reschedule", args: .object([:]), clientTime: nil)],
                client: doctorClient, as: setting.doctor
            ).decode(PushResponse.self)
            #expect(asDoctor.results.map(\.code) == ["FORBIDDEN", "VALIDATION"])
            #expect(asDoctor.lastMutationId == 2)
        }
    }
}
