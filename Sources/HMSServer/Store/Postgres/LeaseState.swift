import NIOConcurrencyHelpers

/// Which came first for one transaction: its connection lease or its lease deadline. The first
/// claim wins; the other then knows to stand down.
final class LeaseState: Sendable {
    /// The two outcomes that can claim the race.
    enum Outcome: Sendable {
        case leased, timedOut
    }

    private let box = NIOLockedValueBox<Outcome?>(nil)

    /// The outcome that claimed the race, nil while none has.
    var winner: Outcome? { box.withLockedValue { $0 } }

    /// Claims the race for `outcome`: true when nothing claimed it before (or `outcome` did).
    func claim(_ outcome: Outcome) -> Bool {
        box.withLockedValue { winner in
            if winner == nil { winner = outcome }
            return winner == outcome
        }
    }
}
