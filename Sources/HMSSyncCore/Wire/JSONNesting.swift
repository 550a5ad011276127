/// How deeply a JSON text nests arrays and objects, read from its bytes before any decoder
/// runs: decoders recurse once per level, so a body of a million `[` must be refused unread.
package enum JSONNesting {
    /// The deepest nesting a request body may have. A push body needs four levels (body,
    /// `mutations`, a mutation, its `args`); this leaves room without inviting recursion.
    package static let requestLimit = 16

    /// Whether no point of `bytes` lies inside more than `limit` open arrays and objects.
    /// Brackets inside strings do not count; escapes inside strings are honoured. Malformed
    /// text is left to the decoder: this only bounds the depth.
    package static func isWithin<Bytes: Sequence<UInt8>>(_ bytes: Bytes, limit: Int) -> Bool {
        var depth = 0
        var inString = false
        var escaped = false
        for byte in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > limit { return false }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth -= 1
            default:
                break
            }
        }
        return true
    }
}
