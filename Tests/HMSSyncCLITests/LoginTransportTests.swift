import Foundation
import HMSTestSupport
import Testing

/// CONTRACT §9.1: no password crosses the network in clear unless the user insists.
@Suite("hms-sync login refuses plain HTTP off this machine")
struct LoginTransportTests {
    @Test("login --server http://… to a host that is not loopback exits 2 (USAGE) and says why", arguments: [
        "http://192.0.2.1:8080", "http://clinic.example", "http://127.0.0.1.clinic.example:8080", "http://localhost.clinic.example",
        "http://[2001:db8::1]:8080",
    ])
    func plainHTTPRefused(server: String) async throws {
        let cli = try CLI()
        let result = try await cli.run(
            ["login", "--server", server, "--email", "a@hms.test", "--password", "password-123", "--json"],
            environment: ["HMS_SYNC_TIMEOUT": "1"])
        result.expectFailure(2, code: "USAGE")
        #expect((result.object["error"] as? String)?.contains("plain HTTP") == true, "\(result)")
        #expect(try await cli.run(["status", "--json"]).object["server"] is NSNull, "nothing was stored")
    }

    @Test("https://, or --insecure-http, gets past the check (here to a server that is not there: exit 3)", arguments: [
        ["--server", "https://192.0.2.1:9"], ["--server", "http://192.0.2.1:9", "--insecure-http"],
    ])
    func allowed(arguments: [String]) async throws {
        let cli = try CLI()
        let result = try await cli.run(
            ["login"] + arguments + ["--email", "a@hms.test", "--password", "password-123", "--json"],
            environment: ["HMS_SYNC_TIMEOUT": "1"])
        #expect(result.status != 2 && result.object["code"] as? String != "USAGE", "\(result)")
    }

    @Test("plain HTTP to loopback by name works")
    func localhost() async throws {
        try await ServerProcess.with { server in
            let clinic = ClinicBuilder(rest: server.rest)
            let patient = try await clinic.addPatient("Lou")
            let cli = try CLI()
            try await cli.run(["login", "--server", "http://localhost:\(server.port)", "--email", patient.email, "--json"],
                              stdin: patient.password + "\n").expectSuccess()
        }
    }
}
