import Foundation
import Testing

/// Usage errors exit 2 and, under `--json`, print `{error, code: "USAGE"}` on stdout.
private let doctor = "5d0c4f0e-8a54-4c51-9b0c-2a1f3f7c1a11"

@Suite("hms-sync usage errors")
struct UsageTests {
    @Test("exit 2 with code USAGE", arguments: [
        ["book", "--doctor", doctor],                                               // missing --start
        ["book", "--start", "2030-01-01T09:00:00Z"],                               // missing --doctor
        ["book", "--doctor", "not-a-uuid", "--start", "2030-01-01T09:00:00Z"],       // bad UUID
        ["book", "--doctor", doctor, "--start", "tomorrow at nine"],                 // bad time
        ["book", "--doctor", doctor, "--start", "2030-01-01T09:00:00Z", "--patient", "42"],
        ["slots", doctor],                                                          // missing --date
        ["slots", doctor, "--date", "2030-02-30"],                                  // bad date
        ["slots", doctor, "--date", "30-01-2030"],
        ["slots", "nobody", "--date", "2030-01-01"],
        ["cancel", "not-a-uuid"],
        ["cancel"],
        ["complete", doctor, "--diagnosis", "d"],                                   // missing --treatment
        ["complete", "x", "--diagnosis", "d", "--treatment", "t"],
        ["appointments", "--status", "LOST"],
        ["sync", "--interval", "0"],
        ["sync", "--interval", "soon"],
        ["login", "--email", "a@b.c", "--password", "whatever1"],                   // missing --server
        ["login", "--server", "ftp://example", "--email", "a@b.c", "--password", "whatever1"],
        ["whoami", "--frobnicate"],
        ["teleport"],
    ])
    func usage(arguments: [String]) async throws {
        let cli = try CLI()
        let json = try await cli.run(arguments + ["--json"])
        json.expectFailure(2, code: "USAGE")
        let text = try await cli.run(arguments)
        #expect(text.status == 2, "\(text)")
        #expect(text.stdout.isEmpty, "without --json the usage error goes to stderr: \(text)")
        #expect(!text.stderr.isEmpty)
    }

    @Test("--help exits 0")
    func help() async throws {
        let cli = try CLI()
        let help = try await cli.run(["--help"])
        #expect(help.status == 0 && help.stdout.contains("Exit codes"), "\(help)")
        let syncHelp = try await cli.run(["sync", "--help"])
        #expect(syncHelp.status == 0 && syncHelp.stdout.contains("HMS_SYNC_TIMEOUT"), "\(syncHelp)")
    }

    @Test("commands that need a sign-in exit 4 with LOGIN_NEEDED on a fresh replica", arguments: [
        ["whoami"], ["sync"], ["logout"], ["doctors"], ["appointments"], ["slots", doctor, "--date", "2030-01-01"],
        ["book", "--doctor", doctor, "--start", "2030-01-01T09:00:00Z"],
        ["cancel", doctor], ["complete", doctor, "--diagnosis", "d", "--treatment", "t"],
    ])
    func loginNeeded(arguments: [String]) async throws {
        let cli = try CLI()
        try await cli.run(arguments + ["--json"]).expectFailure(4, code: "LOGIN_NEEDED")
    }

    @Test("list commands of the user's own work answer empty arrays on a fresh replica", arguments: ["outbox", "rejections"])
    func emptyLists(command: String) async throws {
        let cli = try CLI()
        let result = try await cli.run([command, "--json"])
        result.expectSuccess()
        #expect(result.json as? [Any] != nil && result.array.isEmpty, "\(result)")
    }
}
