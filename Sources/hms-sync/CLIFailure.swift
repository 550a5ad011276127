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

    var message: String {
        switch self {
        case .usage(let message): message
        case .replica(let error): error.description
        }
    }
}
