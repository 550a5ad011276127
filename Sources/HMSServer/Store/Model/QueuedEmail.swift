import Foundation
import HMSSyncCore

/// A queued email due for (another) attempt.
struct QueuedEmail: Sendable {
    let id: String
    let recipient: String
    let subject: String
    let body: String
    let messageId: String
    let attempts: Int
}
