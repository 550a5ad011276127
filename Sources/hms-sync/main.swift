import ArgumentParser
import Foundation
import HMSSyncCore

// Parses by hand so usage errors exit 2 (the contract's code) instead of the parser's 64.
let arguments = Array(CommandLine.arguments.dropFirst())
let wantsJSON = arguments.contains("--json")

func fail(_ failure: CLIFailure) -> Never {
    if wantsJSON {
        Output.json(ErrorBody(error: failure.message, code: failure.code, details: failure.details))
    } else {
        Output.message("hms-sync: \(failure.message)")
        for slot in failure.alternatives {
            Output.message("  free instead: \(Output.time(slot.start)) to \(Output.time(slot.end))")
        }
    }
    exit(failure.exitCode)
}

do {
    var command = try HMSSync.parseAsRoot(arguments)
    if let runnable = command as? any CLICommand {
        try await runnable.execute()
    } else {
        try command.run()  // `--help`, `help …` and no command: the parser's own help, thrown as a clean exit
    }
} catch let failure as CLIFailure {
    fail(failure)
} catch let error as ReplicaError {
    fail(.replica(error))
} catch let error as ReplicaKeyError {
    fail(.usage(error.description))  // a sealed value that no longer opens, found after the replica opened
} catch {
    if HMSSync.exitCode(for: error) == .success {
        Output.line(HMSSync.fullMessage(for: error))
        exit(0)
    }
    fail(.usage(HMSSync.message(for: error)))
}
