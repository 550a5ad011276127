import Foundation
import HMSSyncCore

/// What the escalation email says; no clinical text.
struct EscalationMail: Sendable {
    let clinicName: String
    let domain: String

    func subject() -> String { "Missed appointment at \(clinicName)" }

    func body(patientName: String, doctorName: String, start: Date) -> String {
        """
        Dear \(patientName),

        You did not attend your appointment with \(doctorName) at \(RFC3339.format(start)) (UTC) \
        and it was recorded as a no-show. A penalty has been added to your account.

        If this is a mistake, please contact \(clinicName).
        """
    }

    /// Stable per penalty, so a resend after a crash can be recognized as the same message.
    func messageId(penaltyId: String) -> String { "<penalty-\(penaltyId)@\(domain)>" }
}
