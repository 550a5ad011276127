import ArgumentParser
import HMSSyncCore

/// How a command fails, with the contract's exit code (CONTRACT.md §8).
enum CLIFailure: Error {
    case usage(String)
    case replica(ReplicaError)

    var exitCode: Int32 {
        switch self {
        case .usage: 2
        case .replica(.refused), .replica(.pendingIntents): 1
        case .replica(.unreachable): 3
        case .replica(.loginNeeded): 4
        }
    }

    var code: String {
        switch self {
        case .usage: "USAGE"
        case .replica(let error): error.code
        }
    }

    /// A refusal's `details` for `--json` (CONTRACT.md §9.2), when it has any.
    var details: [String: ErrorDetail]? {
        guard case .replica(.refused(let error)) = self, !error.details.isEmpty else { return nil }
        return error.details
    }

    /// The slots a `SLOT_TAKEN` refusal offers instead.
    var alternatives: [AlternativeSlot] {
        guard case .replica(.refused(let error)) = self else { return [] }
        return error.alternatives
    }

    var message: String {
        switch self {
        case .usage(let message): message
        case .replica(let error): error.description
        }
    }
}
