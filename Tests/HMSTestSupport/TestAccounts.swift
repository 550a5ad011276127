import Foundation

/// The credentials every test server starts with, and fresh addresses for new accounts.
public enum TestAccounts {
    /// `HMS_JWT_SECRET`: 40 bytes (jwt-kit traps under 32).
    public static let jwtSecret = "0123456789abcdefghijklmnopqrstuvwxyzABCD"
    public static let adminEmail = "admin@hms.test"
    public static let adminPassword = "admin-password-1"
    /// The password of the patients and doctors the clinic builders make.
    public static let patientPassword = "patient-password"
    public static let doctorPassword = "doctor-password"

    /// A fresh email, so tests never meet each other's accounts.
    public static func uniqueEmail(_ prefix: String = "user") -> String {
        let local = prefix.lowercased().filter { $0.isLetter || $0.isNumber || $0 == "-" }
        return "\(local.isEmpty ? "user" : local)-\(UUID().uuidString.prefix(8).lowercased())@example.com"
    }
}
