import Foundation
import HMSTestSupport
import Testing

/// The raw SQL the server tests check the database with reads and binds alike on both backends.
@Suite("TestDatabase: raw SQL on SQLite and PostgreSQL")
struct TestDatabaseTests {
    static func database(_ backend: TestBackend) async throws -> TestDatabase {
        try await TestDatabase.make(backend, in: try TempFolder("sql"), name: "raw.sqlite")
    }

    @Test("$n placeholders bind text, integers, reals and NULL, and read back as the same values",
          arguments: TestBackend.all)
    func roundTrip(backend: TestBackend) async throws {
        let database = try await Self.database(backend)
        try await database.execute("CREATE TABLE t (id TEXT PRIMARY KEY, n BIGINT, x DOUBLE PRECISION, note TEXT)")
        try await database.execute(
            "INSERT INTO t (id, n, x, note) VALUES ($1, $2, $3, $4), ($5, $6, $7, $8)",
            ["a", 7, 1.5, nil, "b", -3, 0.25, .text("it's")])
        let rows = try await database.rows("SELECT id, n, x, note FROM t WHERE n > $1 OR id = $2 ORDER BY id", [-10, "b"])
        #expect(rows == [["a", 7, 1.5, nil], ["b", -3, 0.25, "it's"]])
        #expect(try await database.scalar("SELECT count(*) FROM t WHERE id = $1", ["a"]) == 1)
        #expect(try await database.string("SELECT note FROM t WHERE id = $1", ["b"]) == "it's")
        #expect(try await database.string("SELECT note FROM t WHERE id = $1", ["nobody"]) == nil)
    }

    @Test("aggregates and flags read as integers on both backends", arguments: TestBackend.all)
    func aggregatesAndFlags(backend: TestBackend) async throws {
        let database = try await Self.database(backend)
        try await database.execute("CREATE TABLE f (n BIGINT NOT NULL, flag BOOLEAN NOT NULL)")
        try await database.execute("INSERT INTO f (n, flag) VALUES (2, TRUE), (3, FALSE)")
        #expect(try await database.scalar("SELECT sum(n) FROM f") == 5)
        #expect(try await database.rows("SELECT flag FROM f ORDER BY n") == [[1], [0]])
    }

    @Test("a failing statement throws", arguments: TestBackend.all)
    func failure(backend: TestBackend) async throws {
        let database = try await Self.database(backend)
        await #expect(throws: (any Error).self) { try await database.execute("SELECT * FROM no_such_table") }
    }
}
