import Foundation
import GRDB

extension Database {
    /// The pulled rows of one entity, opened and decoded; `filter` is more SQL over the clear
    /// columns (`AND doctor_id = ?`), with its values in `arguments`.
    func serverRows<T: Decodable>(
        _ type: T.Type, entity: String, filter: String = "", arguments: StatementArguments = [], _ cipher: ReplicaCipher
    ) throws -> [T] {
        let decoder = RFC3339.makeDecoder()
        return try Row.fetchAll(
            self, sql: "SELECT id, json FROM server_rows WHERE entity = ? \(filter)", arguments: [entity] + arguments
        ).map { row in
            try decoder.decode(T.self, from: try cipher.open(row["json"], at: .serverRow(entity: entity, id: row["id"])))
        }
    }

    /// One pulled row, opened and decoded, or nil.
    func serverRow<T: Decodable>(_ type: T.Type, entity: String, id: String, _ cipher: ReplicaCipher) throws -> T? {
        guard let sealed = try Data.fetchOne(
            self, sql: "SELECT json FROM server_rows WHERE entity = ? AND id = ?", arguments: [entity, id])
        else { return nil }
        return try RFC3339.makeDecoder().decode(T.self, from: try cipher.open(sealed, at: .serverRow(entity: entity, id: id)))
    }
}
