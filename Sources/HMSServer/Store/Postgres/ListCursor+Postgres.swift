import Foundation
import HMSSyncCore

extension ListCursor {
    /// Where to resume a list sorted by a TEXT column, then `id`. SQLite compares a cursor's
    /// number key with a TEXT column as its decimal text (the column's affinity), so this does too.
    /// PostgreSQL text can't hold U+0000 and no list gives out a cursor with one, so such a
    /// cursor is refused like any other this server did not give out.
    func textPosition() throws(DomainError) -> (key: String, id: String) {
        let key: String
        switch k {
        case .int(let value): key = String(value)
        case .text(let value): key = value
        }
        guard PostgresText.canHold(key), PostgresText.canHold(id) else { throw Self.unreadable }
        return (key, id)
    }

    /// Where to resume a list sorted by an INTEGER time, then `seq` (the audit log): `seq` must be
    /// a whole number, as on SQLite. A text key compares with the INTEGER column the way SQLite's
    /// NUMERIC affinity has it: an integer numeral (spaces around allowed) as its number; other
    /// text sorts after every number, so it bounds nothing (`time` nil). (SQLite would also read a
    /// fraction or an exponent as a number; no cursor this server gives out has either.)
    func timePosition() throws(DomainError) -> (time: Int64?, seq: Int64) {
        guard let seq = Int64(id) else { throw Self.unreadable }
        switch k {
        case .int(let value):
            return (value, seq)
        case .text(let value):
            return (Int64(value.trimmingCharacters(in: Self.sqliteSpaces)), seq)
        }
    }

    /// The spaces SQLite skips around a numeral.
    private static let sqliteSpaces = CharacterSet(charactersIn: " \t\n\u{0B}\u{0C}\r")

    private static var unreadable: DomainError {
        .validation(field: "cursor", "cursor is not one this server gave out")
    }
}

extension ListCursor {
    /// The key of a list sorted by a time in seconds, as SQLite compares the cursor's key with
    /// an INTEGER column (so both backends answer a cursor alike): a text key holding an integer
    /// is that integer, and any other text sorts after every number.
    var epochKey: Int64 {
        switch k {
        case .int(let value): value
        case .text(let text): Int64(text) ?? .max
        }
    }
}
