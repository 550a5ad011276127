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
