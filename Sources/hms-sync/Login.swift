import ArgumentParser
import Foundation
import HMSSyncCore

struct Login: CLICommand {
    static let configuration = CommandConfiguration(
        abstract: "Sign in (password read from stdin when not given); tokens are kept in the replica.")

    @OptionGroup var common: CommonOptions
    @Option(help: "The server, e.g. http://127.0.0.1:8080") var server: String
    @Option(help: "Your email") var email: String
    @Option(help: "Your password (prefer stdin: options show in process lists)") var password: String?

    func execute() async throws {
        guard server.hasPrefix("http://") || server.hasPrefix("https://") else {
            throw CLIFailure.usage("--server must be an http:// or https:// URL")
        }
        let secret = try password ?? readPassword()
        let replica = try common.openReplica()
        let user = try await makeEngine(replica).login(server: server, email: email, password: secret)
        if common.json { Output.json(user) } else { Output.message("signed in as \(user.name) <\(user.email)> (\(user.role.rawValue))") }
    }

    private func readPassword() throws -> String {
        if isatty(0) == 1, let typed = getpass("Password: ") {
            return String(cString: typed)
        }
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            throw CLIFailure.usage("no password: give --password or write it to stdin")
        }
        return line
    }
}

struct Logout: CLICommand {
    static let configuration = CommandConfiguration(abstract: "Sign out; pending intents stay for your next sign-in.")
    @OptionGroup var common: CommonOptions

    func execute() async throws {
        let replica = try common.openReplica()
        let user = try await makeEngine(replica).logout()
        guard let user else { throw CLIFailure.replica(.loginNeeded("not signed in")) }
        if common.json { Output.json(user) } else { Output.message("signed out \(user.email)") }
    }
}

struct WhoAmI: CLICommand {
    static let configuration = CommandConfiguration(commandName: "whoami", abstract: "The signed-in user.")
    @OptionGroup var common: CommonOptions

    func execute() async throws {
        let session = try requireSession(try common.openReplica())
        if common.json {
            Output.json(session.user)
        } else {
            Output.line("\(session.user.name) <\(session.user.email)> \(session.user.role.rawValue) at \(session.server)")
        }
    }
}
