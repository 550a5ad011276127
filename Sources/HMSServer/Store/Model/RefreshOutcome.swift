import Foundation
import HMSSyncCore

/// How a refresh attempt ended; decided inside one transaction so a reuse revokes for good.
enum RefreshOutcome: Sendable {
    case issued(user: UserRecord, familyId: String)
    case refused(DomainError)
}
