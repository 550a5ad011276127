/// What one no-show sweep did: `{markedNoShow, penaltiesCreated, emailsQueued}`.
struct NoShowSweepResult: Codable, Sendable, Equatable {
    var markedNoShow = 0
    var penaltiesCreated = 0
    var emailsQueued = 0

    static func + (lhs: Self, rhs: Self) -> Self {
        Self(markedNoShow: lhs.markedNoShow + rhs.markedNoShow,
             penaltiesCreated: lhs.penaltiesCreated + rhs.penaltiesCreated,
             emailsQueued: lhs.emailsQueued + rhs.emailsQueued)
    }
}
