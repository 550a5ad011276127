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
    @Flag(help: """
        Allow plain http:// to a server that is not on this machine (your password and patient data cross the \
        network unencrypted)
        """)
    var insecureHttp = false

    func execute() async throws {
        guard server.hasPrefix("http://") || server.hasPrefix("https://") else {
            throw CLIFailure.usage("--server must be an http:// or https:// URL")
        }
        guard let host = Loopback.host(of: server) else { throw CLIFailure.usage("--server is not a valid URL") }
        if server.hasPrefix("http://") && !Loopback.contains(host) && !insecureHttp {
            throw CLIFailure.usage(
                "refusing plain HTTP to a server that is not on this machine: your password and patient data would cross "
                    + "the network unencrypted; use https://, or pass --insecure-http if you must")
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
    static let configuration = CommandConfiguration(
        abstract: "Sign out: tokens, server data and rejections leave the replica; pending intents stay for your next sign-in.")
    @OptionGroup var common: CommonOptions

    func execute() async throws {
        let replica = try common.openReplica()
        let user = try await makeEngine(replica).logout()
        guard let user else { throw CLIFailure.replica(.loginNeeded("not signed in")) }
        let pending = try replica.status().pending
        if common.json { return Output.json(user) }
        Output.message("signed out \(user.email); the replica's server data is deleted"
            + (pending > 0 ? "; \(pending) pending intents stay for your next sign-in" : ""))
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
