import Foundation
import GRDB
import Logging
import NIOCore
import PostgresNIO

/// Raw SQL on the test's database, for the checks no endpoint offers (stored mutation results,
/// outbox rows, the audit table). Placeholders are PostgreSQL's `$1`, `$2`…, also on SQLite
/// (where they become `?1`, `?2`…). Each call opens its own connection and closes it, as a
/// separate process would.
extension TestDatabase {
    /// Runs `sql`; answers its rows, each as its columns' values in order.
    @discardableResult
    public func rows(_ sql: String, _ arguments: [SQLValue] = []) async throws -> [[SQLValue]] {
        switch location {
        case .sqlite(let path): try await Self.sqliteRows(path: path, sql, arguments)
        case .postgres: try await postgresRows(sql, arguments)
        }
    }

    /// Runs a statement that answers no rows.
    public func execute(_ sql: String, _ arguments: [SQLValue] = []) async throws {
        try await rows(sql, arguments)
    }

    /// The first column of the first row as an Int (0 when there is no row or it is NULL).
    public func scalar(_ sql: String, _ arguments: [SQLValue] = []) async throws -> Int {
        let value = try await rows(sql, arguments).first?.first ?? .null
        if value == .null { return 0 }
        guard let int = value.int else { throw TestFailure("\(sql) answered \(value), not an integer") }
        return int
    }

    /// The first column of the first row as text (nil when there is no row or it is NULL).
    public func string(_ sql: String, _ arguments: [SQLValue] = []) async throws -> String? {
        try await rows(sql, arguments).first?.first?.string
    }

    private static func sqliteRows(path: String, _ sql: String, _ arguments: [SQLValue]) async throws -> [[SQLValue]] {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        let numbered = sql.replacing(/\$(\d+)/) { "?" + $0.1 }
        let bound = StatementArguments(arguments.map(\.databaseValue))
        return try await queue.write { db in
            try Row.fetchAll(db, sql: numbered, arguments: bound).map { row in row.databaseValues.map(SQLValue.init) }
        }
    }

    private func postgresRows(_ sql: String, _ arguments: [SQLValue]) async throws -> [[SQLValue]] {
        guard let postgres else { throw TestFailure("not a PostgreSQL database") }
        var bindings = PostgresBindings()
        for argument in arguments {
            switch argument {
            case .integer(let value): bindings.append(value)
            case .real(let value): bindings.append(value)
            case .text(let value): bindings.append(value)
            case .blob(let value): bindings.append(ByteBuffer(bytes: value))
            case .null: bindings.appendNull()
            }
        }
        let logger = Logger(label: "hms.test.sql")
        let connection = try await postgres.connect()
        do {
            var rows: [[SQLValue]] = []
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger) {
                rows.append(try row.map(SQLValue.init))
            }
            try await connection.close()
            return rows
        } catch {
            try? await connection.close()
            throw error
        }
    }
}

extension SQLValue {
    var databaseValue: DatabaseValue {
        switch self {
        case .integer(let value): value.databaseValue
        case .real(let value): value.databaseValue
        case .text(let value): value.databaseValue
        case .blob(let value): value.databaseValue
        case .null: .null
        }
    }

    init(_ value: DatabaseValue) {
        switch value.storage {
        case .null: self = .null
        case .int64(let value): self = .integer(value)
        case .double(let value): self = .real(value)
        case .string(let value): self = .text(value)
        case .blob(let value): self = .blob(value)
        }
    }

    init(_ cell: PostgresCell) throws {
        guard cell.bytes != nil else {
            self = .null
            return
        }
        switch cell.dataType {
        case .bool: self = .integer(try cell.decode(Bool.self) ? 1 : 0)
        case .int2, .int4, .int8: self = .integer(try cell.decode(Int64.self))
        case .float4, .float8: self = .real(try cell.decode(Double.self))
        case .numeric:
            // sum() and avg() of integers answer NUMERIC
            let value = NSDecimalNumber(decimal: try cell.decode(Decimal.self)).doubleValue
            self = value.rounded() == value ? .integer(Int64(value)) : .real(value)
        case .bytea: self = .blob(Data(try cell.decode(ByteBuffer.self).readableBytesView))
        default: self = .text(try cell.decode(String.self))
        }
    }
}
