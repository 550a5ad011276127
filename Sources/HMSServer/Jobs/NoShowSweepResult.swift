/// What one no-show sweep did: `{markedNoShow, penaltiesCreated, emailsQueued, remindersQueued}`;
/// `emailsQueued` counts escalation mail only (CONTRACT.md §9.4).
struct NoShowSweepResult: Codable, Sendable, Equatable {
    var markedNoShow = 0
    var penaltiesCreated = 0
    var emailsQueued = 0
    var remindersQueued = 0

    static func + (lhs: Self, rhs: Self) -> Self {
        Self(markedNoShow: lhs.markedNoShow + rhs.markedNoShow,
             penaltiesCreated: lhs.penaltiesCreated + rhs.penaltiesCreated,
             emailsQueued: lhs.emailsQueued + rhs.emailsQueued,
             remindersQueued: lhs.remindersQueued + rhs.remindersQueued)
    }
}
