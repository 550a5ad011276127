import Foundation
import HMSSyncCore

/// What a reminder email says (CONTRACT.md §9.4): the doctor and the time, in the clinic's time
/// zone, and never clinical text (no reason, diagnosis or treatment).
struct ReminderMail: Sendable {
    let clinicName: String
    let domain: String
    let timeZone: TimeZone

    func subject() -> String { "Appointment reminder from \(clinicName)" }

    func body(patientName: String, doctorName: String, start: Date) -> String {
        """
        Dear \(patientName),

        This is a reminder of your appointment with \(doctorName) on \(localTime(start)) \
        (\(timeZone.identifier) time).

        If you cannot come, please cancel it beforehand so that someone else can have the time.

        \(clinicName)
        """
    }

    /// Stable per appointment, so a resend after a crash can be recognized as the same message.
    func messageId(appointmentId: String) -> String { "<reminder-\(appointmentId)@\(domain)>" }

    /// `Wednesday 2 December 2026 at 10:00`, on the clinic's clock.
    private func localTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "EEEE d MMMM yyyy 'at' HH:mm"
        return formatter.string(from: date)
    }
}
