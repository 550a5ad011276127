import ArgumentParser
import Foundation
import HMSSyncCore

/// `hms-sync`: the field staff's client. Everything but `login` and `sync` works offline.
struct HMSSync: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hms-sync",
        abstract: "Work with HMS appointments offline; sync when the network is there.",
        discussion: """
            Sign in once with `login` while online. From then on `doctors`, `slots`, `book`, `cancel`, \
            `complete`, `reschedule`, `appointments`, `outbox`, `rejections` and `status` work from the local replica with \
            no network: new bookings, cancellations, completions and moves are recorded as intents, checked \
            against the same rules the server uses, and shown at once (marked pending). `sync` sends them \
            and brings the server's changes; refused intents are listed by `rejections`. A doctor's `schedule` \
            (recurring hours) is sent at once and needs the network.

            On a clinic laptop, `serve` gives the web console on 127.0.0.1 from the replica, with the same \
            rules, and syncs in the background.

            Exit codes: 0 done; 1 refused by a rule; 2 usage; 3 server unreachable (nothing lost); 4 login needed.

            The replica is encrypted at rest. Its key is HMS_REPLICA_KEY (64 hex digits or the base64 of 32 bytes) \
            when set, else a key file made once in $XDG_DATA_HOME/hms-sync/keys (~/.local/share/hms-sync/keys); \
            a wrong or missing key exits 2.
            """,
        subcommands: [
            Login.self, Logout.self, WhoAmI.self, Doctors.self, Slots.self, Book.self, Cancel.self, Complete.self, Reschedule.self,
            Appointments.self, Sync.self, Status.self, Outbox.self, Rejections.self, Schedule.self, Serve.self,
        ])
}

/// A subcommand; `main` runs it (ArgumentParser's own async dispatch is bypassed so exit codes
/// stay the contract's).
protocol CLICommand: ParsableCommand {
    func execute() async throws
}
