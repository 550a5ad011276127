import HMSSyncCore

extension UserRecord {
    /// Why an account may not hold a session: `DISABLED` first, then `BLACKLISTED`; nil when it may.
    var standingError: DomainError? {
        if disabled { return DomainError(.disabled, "this account is disabled") }
        if role == .doctor && blacklisted { return DomainError(.blacklisted, "this doctor is blacklisted") }
        return nil
    }

    /// Throws `standingError`, if any.
    func checkStanding() throws(DomainError) {
        if let error = standingError { throw error }
    }
}
