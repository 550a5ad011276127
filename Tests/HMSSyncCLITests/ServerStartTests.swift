import Foundation
import HMSTestSupport
import Testing

/// The real `hms-server` binary's transport settings (CONTRACT §9.1): HTTPS with a certificate
/// and key, no plain HTTP on a non-loopback address unless allowed, a private secret file. A
/// setting that stops the start prints one line and exits 78.
@Suite("hms-server transport settings, through the binary")
struct ServerStartTests {
    /// A server process on a free port with its own database folder.
    struct Started {
        let child: ChildProcess
        let port: Int
        let folder: TempFolder
    }

    static func start(_ arguments: [String], environment extra: [String: String] = [:], folder: TempFolder? = nil) throws -> Started {
        let folder = try folder ?? TempFolder("server")
        let port = try FreePort.next()
        var environment = ProcessInfo.processInfo.environment
        for name in environment.keys where name.hasPrefix("HMS_") { environment[name] = nil }
        environment.merge(extra) { $1 }
        let child = try ChildProcess(
            executable: try Binaries.path(of: "hms-server"),
            arguments: ["--port", String(port), "--database-url", folder.file("hms.sqlite"),
                        "--bcrypt-cost", "4", "--admin-password", TestAccounts.adminPassword, "--no-show-interval", "0"] + arguments,
            environment: environment, logFolder: folder.path)
        return Started(child: child, port: port, folder: folder)
    }

    /// Starts the server and expects it to stop at once with exit 78 and one line on stderr
    /// that holds every one of `words`.
    static func expectRefusal(_ arguments: [String], environment: [String: String] = [:], folder: TempFolder? = nil,
                              naming words: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let started = try start(arguments, environment: environment, folder: folder)
        let exit = await started.child.waitForExit(timeout: 60)
        let lines = started.child.stderr.split(separator: "\n")
        #expect(exit.status == 78, "\(started.child.stderr)", sourceLocation: sourceLocation)
        #expect(lines.count == 1, "one line: \(started.child.stderr)", sourceLocation: sourceLocation)
        for word in words {
            #expect(started.child.stderr.contains(word), "names \(word): \(started.child.stderr)", sourceLocation: sourceLocation)
        }
    }

    /// `curl ARGUMENTS`: its exit status and stdout.
    static func curl(_ arguments: [String]) async throws -> (status: Int32, stdout: String) {
        let folder = try TempFolder("curl")
        let child = try ChildProcess(executable: "/usr/bin/curl", arguments: ["-sS", "--max-time", "10", "--noproxy", "*"] + arguments,
                                     environment: ProcessInfo.processInfo.environment, logFolder: folder.path)
        let exit = await child.waitForExit(timeout: 30)
        return (exit.status, child.stdout)
    }

    /// Waits until `url` answers 200 to curl with `options`, while the server keeps running.
    static func waitUntilUp(_ started: Started, _ url: String, options: [String] = []) async throws {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            guard started.child.isRunning else { throw TestFailure("hms-server exited: \(started.child.stderr)") }
            if try await curl(options + ["-o", "/dev/null", "-w", "%{http_code}", url]).stdout == "200" { return }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        throw TestFailure("hms-server did not answer \(url) within 60 s")
    }

    /// A self-signed certificate for 127.0.0.1 and its key, as PEM files in `folder`.
    static func selfSigned(in folder: TempFolder) async throws -> (cert: String, key: String) {
        let cert = folder.file("c.pem"), key = folder.file("k.pem")
        let child = try ChildProcess(
            executable: "/usr/bin/openssl",
            arguments: ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-addext",
                        "subjectAltName=IP:127.0.0.1", "-days", "1", "-keyout", key, "-out", cert],
            environment: ProcessInfo.processInfo.environment, logFolder: folder.path)
        let exit = await child.waitForExit(timeout: 60)
        try #require(exit.status == 0, "openssl: \(child.stderr)")
        return (cert, key)
    }

    @Test("with a certificate and key the server speaks HTTPS only, also on a non-loopback address")
    func https() async throws {
        let folder = try TempFolder("server")
        let (cert, key) = try await Self.selfSigned(in: folder)
        let started = try Self.start(["--host", "0.0.0.0", "--tls-cert", cert, "--tls-key", key], folder: folder)
        defer { started.child.signal(SIGKILL) }
        let https = "https://127.0.0.1:\(started.port)"
        try await Self.waitUntilUp(started, https + "/healthz", options: ["--cacert", cert])

        let clinic = try await Self.curl(["--cacert", cert, https + "/v1/clinic"])
        #expect(clinic.status == 0 && clinic.stdout.contains("timeZone"), "\(clinic)")
        let plain = try await Self.curl(["-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(started.port)/healthz"])
        #expect(plain.status != 0 && plain.stdout != "200", "plain HTTP gets no answer: \(plain)")
        let unverified = try await Self.curl(["-o", "/dev/null", https + "/healthz"])
        #expect(unverified.status == 60, "a client that does not trust the certificate refuses it: \(unverified)")
    }

    @Test("HMS_TLS_CERT and HMS_TLS_KEY go together: one alone stops the start with one line, exit 78")
    func tlsPairs() async throws {
        let folder = try TempFolder("tls")
        let (cert, key) = try await Self.selfSigned(in: folder)
        try await Self.expectRefusal(["--tls-cert", cert], naming: ["HMS_TLS_KEY"])
        try await Self.expectRefusal(["--tls-key", key], naming: ["HMS_TLS_CERT"])
        try await Self.expectRefusal([], environment: ["HMS_TLS_KEY": key], naming: ["HMS_TLS_CERT"])
        try await Self.expectRefusal(["--tls-cert", key, "--tls-key", key], naming: ["HMS_TLS_CERT"])
        try await Self.expectRefusal(["--tls-cert", cert, "--tls-key", cert], naming: ["HMS_TLS_KEY"])
    }

    @Test("without TLS a non-loopback HMS_HOST stops the start with one line naming HMS_HOST, TLS and --allow-plain-http",
          arguments: ["0.0.0.0", "::", "192.0.2.10", "clinic.example"])
    func plainHTTPRefused(host: String) async throws {
        try await Self.expectRefusal([], environment: ["HMS_HOST": host], naming: ["HMS_HOST", "TLS", "--allow-plain-http"])
    }

    @Test("loopback hosts and --allow-plain-http start on plain HTTP", arguments: [
        (["--host", "localhost"], "localhost"), (["--host", "127.0.0.2"], "127.0.0.2"),
        (["--host", "0.0.0.0", "--allow-plain-http"], "127.0.0.1"),
    ])
    func plainHTTPAllowed(arguments: [String], reachedAt host: String) async throws {
        let started = try Self.start(arguments)
        defer { started.child.signal(SIGKILL) }
        try await Self.waitUntilUp(started, "http://\(host):\(started.port)/healthz")
    }

    @Test("HMS_ALLOW_PLAIN_HTTP=true in the environment allows it too")
    func plainHTTPAllowedByEnvironment() async throws {
        let started = try Self.start([], environment: ["HMS_HOST": "0.0.0.0", "HMS_ALLOW_PLAIN_HTTP": "true"])
        defer { started.child.signal(SIGKILL) }
        try await Self.waitUntilUp(started, "http://127.0.0.1:\(started.port)/healthz")
    }

    @Test("a kept secret file that group or others may read stops the start with one line, exit 78")
    func openSecretFile() async throws {
        let folder = try TempFolder("server")
        let secret = folder.file("jwt-secret")
        try Data("a-secret-that-is-long-enough-0123456789abcdef".utf8).write(to: URL(fileURLWithPath: secret))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: secret)
        try await Self.expectRefusal([], folder: folder, naming: ["HMS_JWT_SECRET", "chmod 600"])
    }
}
