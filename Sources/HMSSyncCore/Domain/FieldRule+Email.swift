import Foundation

extension FieldRule {
    /// The key under which an email is unique and looked up: canonical caseless matching
    /// (Unicode D145), written in NFC. Two addresses that differ only in case, or in NFC versus
    /// NFD form, have the same key. The one function that computes it; the server stores it in
    /// `users.email_key`.
    public static func emailKey(_ email: String) -> String {
        let folded = email.decomposedStringWithCanonicalMapping.folding(options: .caseInsensitive, locale: nil)
        return folded.precomposedStringWithCanonicalMapping
    }
}
