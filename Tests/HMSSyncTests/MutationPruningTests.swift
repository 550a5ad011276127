import Foundation
import HMSSyncCore
import HMSTestSupport
import Testing

/// `sync_mutations` stays bounded (issue 8), and a retry of a pruned mutation never applies twice
/// (docs/sync.md, "Bounded results").
@Suite struct MutationPruningTests {
    @Test(arguments: TestBackend.all)
    func aRetryOfAPrunedMutationIsAMismatchAndNeverAppliesTwice(backend: TestBackend) async throws {
        try await LiveServer.run(backend) { server in
            let setting = try await PushProtocolTests.Setting.make(server)
            let client = UUID().uuidString.lowercased()
            let booking = UUID().uuidString.lowercased()
            let first = try await setting.push([setting.book(1, appointment: booking, slot: 0)], client: client)
            #expect(try first.decode(PushResponse.self).results == [MutationResult(id: 1, status: .applied)])

            // 1,000 more mutations (cancels of unknown appointments, each rejected and stored)
            let cancels = (2...1001).map { setting.cancel($0, appointment: UUID().uuidString.lowercased()) }
            for batch in [cancels[..<500], cancels[500...]] {
                let answer = try await setting.push(Array(batch), client: client)
                #expect(try answer.decode(PushResponse.self).lastMutationId == batch.last?.id)
            }
            let stored = try await server.database.rows(
                "SELECT mutation_id FROM sync_mutations WHERE client_id = $1 ORDER BY mutation_id", [.text(client)]
            ).map { $0[0].int }
            #expect(stored == Array(2...1001))

            // the pruned booking's retry: a mismatch, and no second effect
            let retry = try await setting.push([setting.book(1, appointment: booking, slot: 0)], client: client)
            #expect(retry.status == 409)
            #expect(retry.code == "MUTATION_MISMATCH")
            #expect(retry.error?.details?["id"] == .int(1))
            // a kept one still answers its stored result
            let kept = try await setting.push([cancels[0]], client: client)
            #expect(try kept.decode(PushResponse.self).results.map(\.code) == ["NOT_FOUND"])
            #expect(try await server.clinic.appointments(as: setting.admin).map(\.id) == [booking])

            // renumbered under a new client, the same booking comes back idempotent
            let renumbered = try await setting.push(
                [setting.book(1, appointment: booking, slot: 0)], client: UUID().uuidString.lowercased())
            #expect(try renumbered.decode(PushResponse.self).results == [MutationResult(id: 1, status: .applied)])
            #expect(try await server.clinic.appointments(as: setting.admin).map(\.id) == [booking])
        }
    }
}
