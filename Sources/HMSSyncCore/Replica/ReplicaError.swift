/// Why a replica or sync operation stopped, in terms the CLI maps to its exit codes.
public enum ReplicaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A domain rule refused the intent locally, or the server refused a request.
    case refused(DomainError)
    /// No sign-in, or the server no longer accepts the tokens.
    case loginNeeded(String)
    /// The server did not answer (network down, timeouts); nothing is lost.
    case unreachable(String)
    /// Another user or server was asked for while intents are still pending.
    case pendingIntents(Int)

    public var description: String {
        switch self {
        case .refused(let error): error.message
        case .loginNeeded(let why): why
        case .unreachable(let why): why
        case .pendingIntents(let count): "\(count) intents are still pending; sync them before signing in as another user or server"
        }
    }

    /// The code the CLI prints under `--json`.
    public var code: String {
        switch self {
        case .refused(let error): error.code.rawValue
        case .loginNeeded: "LOGIN_NEEDED"
        case .unreachable: "UNREACHABLE"
        case .pendingIntents: "PENDING_INTENTS"
        }
    }
}
