import Foundation
import HMSSyncCore
import Testing

@Suite("CONTRACT §9.1 private files, made with Foundation only: folders 0700, databases 0600")
struct PrivateFilesTests {
    /// A fresh temporary folder, removed after `body`.
    static func inTemporaryFolder(_ body: (String) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hms-private-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try body(folder)
    }

    @Test("a new database is an empty 0600 file in a new 0700 folder, with nothing else left beside it")
    func newDatabase() throws {
        try Self.inTemporaryFolder { base in
            let folder = base + "/a/replicas"
            try PrivateFiles.prepareDatabase(at: folder + "/replica.sqlite")
            #expect(PrivateFiles.mode(of: folder) == 0o700)
            #expect(PrivateFiles.mode(of: folder + "/replica.sqlite") == 0o600)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["replica.sqlite"])
            #expect(FileManager.default.contents(atPath: folder + "/replica.sqlite") == Data())
        }
    }

    @Test("an existing database keeps its bytes; it and its side files are narrowed to 0600; its folder keeps its mode")
    func existingDatabase() throws {
        try Self.inTemporaryFolder { folder in
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder)
            let path = folder + "/hms.sqlite"
            for (suffix, text) in [("", "database"), ("-wal", "wal"), ("-journal", "journal")] {
                #expect(FileManager.default.createFile(atPath: path + suffix, contents: Data(text.utf8), attributes: [.posixPermissions: 0o644]))
            }
            try PrivateFiles.prepareDatabase(at: path)
            #expect(FileManager.default.contents(atPath: path) == Data("database".utf8))
            for suffix in ["", "-wal", "-journal"] {
                #expect(PrivateFiles.mode(of: path + suffix) == 0o600, "\(suffix)")
            }
            #expect(PrivateFiles.mode(of: folder) == 0o755)
        }
    }

    @Test("mode(of:) reads through a symbolic link, and is nil for a missing file")
    func modeFollowsLinks() throws {
        try Self.inTemporaryFolder { folder in
            #expect(FileManager.default.createFile(atPath: folder + "/secret", contents: Data("s".utf8), attributes: [.posixPermissions: 0o640]))
            try FileManager.default.createSymbolicLink(atPath: folder + "/link", withDestinationPath: folder + "/secret")
            #expect(PrivateFiles.mode(of: folder + "/link") == 0o640)
            #expect(PrivateFiles.mode(of: folder + "/missing") == nil)
        }
    }
}
