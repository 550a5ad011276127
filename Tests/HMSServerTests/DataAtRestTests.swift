import Foundation
import HMSSyncCore
import HMSTestSupport
import HummingbirdTesting
import Testing
@testable import HMSServer

// SQLite-only: the modes of the database files on disk; a PostgreSQL database has no files here.
@Suite("CONTRACT §9.1 data at rest: the server's folder is 0700, its database files and secret 0600")
struct DataAtRestTests {
    /// A server whose data folder does not exist yet, with no JWT secret given (so one is kept).
    static func server() async throws -> (server: TestServer, folder: String) {
        let base = try await TestServer(.sqlite) { $0.jwtSecret = nil }
        let folder = (base.folder.path as NSString).appendingPathComponent("data")
        return (base.restarted { $0.database = .sqlite(path: (folder as NSString).appendingPathComponent("hms.sqlite")) }, folder)
    }

    static func mode(_ path: String) -> String? {
        PrivateFiles.mode(of: path).map { String($0, radix: 8) }
    }

    @Test("a new data folder is 0700; the database, its -wal and -shm files and the kept secret are 0600")
    func newFiles() async throws {
        let (server, folder) = try await Self.server()
        let database = (folder as NSString).appendingPathComponent("hms.sqlite")
        try await server.run(.live) { api in
            _ = try await api.registerPatient("Private Person")
            #expect(Self.mode(folder) == "700")
            for file in [database, database + "-wal", database + "-shm", (folder as NSString).appendingPathComponent("jwt-secret")] {
                #expect(Self.mode(file) == "600", "\(file)")
            }
        }
    }

    @Test("database files left open to others by an older version are made 0600 at start")
    func tightenedAtStart() async throws {
        let (server, folder) = try await Self.server()
        let database = (folder as NSString).appendingPathComponent("hms.sqlite")
        try await server.run { api in _ = try await api.registerPatient("Private Person") }
        for file in [database, database + "-wal", database + "-shm"] where FileManager.default.fileExists(atPath: file) {
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
        }
        try await server.run(.live) { api in
            _ = try await api.registerPatient("Another Person")
            for file in [database, database + "-wal", database + "-shm"] {
                #expect(Self.mode(file) == "600", "\(file)")
            }
        }
    }

    @Test("the server does not start while the kept secret file is readable by group or others",
          arguments: [0o640, 0o604, 0o660])
    func openSecretRefused(mode: Int) async throws {
        let (server, folder) = try await Self.server()
        try await server.run { _ in }
        let secret = (folder as NSString).appendingPathComponent("jwt-secret")
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: secret)
        await #expect {
            try await server.run { _ in }
        } throws: { error in
            let config = error as? ConfigError
            return config?.setting == "HMS_JWT_SECRET" && config?.problem.contains("chmod 600") == true
        }
    }

    @Test("two servers starting on one new data folder keep one secret")
    func oneSecret() async throws {
        let folder = try TempFolder("secret")
        let data = (folder.path as NSString).appendingPathComponent("data")
        async let first = SecretFile.readOrCreate(folder: data, name: "jwt-secret")
        async let second = SecretFile.readOrCreate(folder: data, name: "jwt-secret")
        let secrets = try await [first, second]
        #expect(secrets[0] == secrets[1] && secrets[0].utf8.count >= 32)
        #expect(Self.mode((data as NSString).appendingPathComponent("jwt-secret")) == "600")
        #expect(try FileManager.default.contentsOfDirectory(atPath: data) == ["jwt-secret"], "no temporary file is left")
    }
}
