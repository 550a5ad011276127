/// Where PostgreSQL's text differs from SQLite's, and what the queries do so that both backends
/// answer alike.
///
/// - Order: SQLite's BINARY collation compares UTF-8 bytes; PostgreSQL sorts by the database's
///   locale unless told otherwise, so every text sort and cursor comparison says `COLLATE "C"`
///   (byte order, whatever the locale).
/// - Case: SQLite's NOCASE and LIKE fold the ASCII letters A-Z and nothing else; `lower()`
///   follows the locale, so the queries fold with `translate(_, asciiLowercase)` instead.
/// - NUL: PostgreSQL text can't hold U+0000, which SQLite stores.
enum PostgresText {
    /// The last two arguments of `translate()` that lower-case the ASCII letters and nothing else.
    /// A constant, never caller text, so it may go into SQL unescaped.
    static let asciiLowercase = "'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'"

    /// Whether PostgreSQL text can hold `value`. No stored text holds U+0000 (PostgreSQL refuses
    /// it, and the field rules refuse control characters), so a lookup of a value that holds one
    /// finds nothing, as it does on SQLite, and needs no query.
    static func canHold(_ value: String) -> Bool {
        !value.utf8.contains(0)
    }
}
