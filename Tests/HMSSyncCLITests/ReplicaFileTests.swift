import Foundation
import HMSSyncCore
import HMSTestSupport
import Testing

/// CONTRACT §9.1: the replica's files are private to their user.
@Suite("hms-sync replica files on disk")
struct ReplicaFileTests {
    static func mode(_ path: String) -> String? {
        PrivateFiles.mode(of: path).map { String($0, radix: 8) }
    }

    @Test("the replica folder the CLI creates is 0700; the replica with its -wal and -shm files is 0600")
    func modes() async throws {
        try await ServerProcess.with { server in
            let clinic = ClinicBuilder(rest: server.rest)
            let patient = try await clinic.addPatient("Mina")
            let cli = try CLI(name: "private/replica")
            try await cli.login(server, patient).expectSuccess()
            #expect(Self.mode((cli.replica as NSString).deletingLastPathComponent) == "700")

            // the WAL and shared-memory files exist while a process has the replica open
            let watching = try cli.start(["sync", "--watch", "--interval", "60"])
            defer { watching.signal(SIGKILL) }
            let deadline = Date().addingTimeInterval(30)
            while !FileManager.default.fileExists(atPath: cli.replica + "-shm") && Date() < deadline {
                try await Task.sleep(nanoseconds: 100_000_000)
            }
            for file in [cli.replica, cli.replica + "-wal", cli.replica + "-shm"] {
                #expect(Self.mode(file) == "600", "\(file)")
            }
        }
    }

    @Test("a replica left open to others (by an older version) is made 0600 by the next command")
    func tightened() async throws {
        let cli = try CLI()
        try await cli.run(["status", "--json"]).expectSuccess()
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: cli.replica)
        try await cli.run(["status", "--json"]).expectSuccess()
        #expect(Self.mode(cli.replica) == "600")
    }
}
