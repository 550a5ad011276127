/// Why a replica's sealed values could not be opened. None of these carries a key or a value.
public enum ReplicaKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Key bytes that are not 32 bytes, or key text that is neither 64 hexadecimal digits nor
    /// the base64 of 32 bytes.
    case malformedKey
    /// The key does not open this replica: its values were sealed with another key.
    case wrongKey
    /// A sealed value does not open with the replica's own key: the file was altered or damaged.
    case damaged

    public var description: String {
        switch self {
        case .malformedKey: "a replica key must be 64 hexadecimal digits or the base64 of 32 bytes"
        case .wrongKey: "the key does not open this replica: it was sealed with another key"
        case .damaged: "the replica holds a sealed value that does not open with its key: the file was altered or damaged"
        }
    }
}
