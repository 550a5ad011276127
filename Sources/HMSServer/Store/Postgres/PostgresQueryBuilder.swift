import PostgresNIO

/// A query put together from optional parts (a list's filters and its cursor). The SQL text
/// comes from the store's own constants; every value is bound as a parameter through
/// ``bind(_:)``, which answers the placeholder to write in its place.
struct PostgresQueryBuilder {
    private var sql: String
    private var binds = PostgresBindings()

    init(_ sql: String) {
        self.sql = sql
    }

    /// Binds `value` and answers its placeholder (`$1`, `$2`, ...).
    mutating func bind(_ value: some PostgresDynamicTypeEncodable) -> String {
        binds.append(value, context: .default)
        return "$\(binds.count)"
    }

    /// Appends SQL text (never caller text: values go through ``bind(_:)``).
    mutating func append(_ text: String) {
        sql += text
    }

    /// Appends ` WHERE c1 AND c2 ...`, or nothing when there are no conditions.
    mutating func appendWhere(_ conditions: [String]) {
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
    }

    var query: PostgresQuery { PostgresQuery(unsafeSQL: sql, binds: binds) }
}
