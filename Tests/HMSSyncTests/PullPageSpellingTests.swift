import Foundation
import HMSTestSupport
import Testing

@testable import HMSSyncCore

/// Issue 12: the replica keeps a row's bytes as the server sent them when they are canonical,
/// which is the server's own spelling (`RFC3339.makeEncoder`: sorted keys, slashes unescaped).
@Suite struct PullPageSpellingTests {
    @Test("every row of a real pull page is canonical as sent, so the replica stores it without writing it again")
    func serverRowsAreCanonicalAsSent() async throws {
        try await LiveServer.run(.sqlite) { server in
            let setting = try await PullProtocolTests.Setting.make(server)
            let answer = try await server.rest.send(
                "GET", "/v1/sync/pull?clientId=\(UUID().uuidString.lowercased())&schemaVersion=1",
                token: setting.admin.accessToken)
            #expect(answer.status == 200)
            var scanner = JSONScanner(Array(answer.body), depthLimit: PulledPage.nestingLimit)
            var rows = 0
            let marker = Array(#""row":"#.utf8)
            var at = 0
            while at + marker.count <= scanner.bytes.count {
                guard Array(scanner.bytes[at..<(at + marker.count)]) == marker else { at += 1; continue }
                scanner = JSONScanner(scanner.bytes, depthLimit: PulledPage.nestingLimit, at: at + marker.count)
                let row = try ScannedRow(&scanner)
                #expect(row.isCanonical, "\(String(decoding: scanner.bytes[row.range], as: UTF8.self))")
                rows += 1
                at = scanner.index
            }
            // two doctors, their windows, two appointments and two patients
            #expect(rows == 8)
        }
    }
}
