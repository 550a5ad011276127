/// How long a text field may be, and whether it may span lines (CONTRACT.md §9.1).
///
/// Lengths count Unicode scalars after NFC, and the UTF-8 form may hold at most four bytes per
/// scalar of the limit, so a field's size in storage is bounded whatever the script.
public struct TextLimit: Sendable, Equatable {
    /// The most Unicode scalars the field may hold.
    public let scalars: Int
    /// Whether line feed and tab are allowed (every other control or format character never is).
    public let allowsLineBreaks: Bool

    public init(scalars: Int, allowsLineBreaks: Bool = false) {
        self.scalars = scalars
        self.allowsLineBreaks = allowsLineBreaks
    }

    /// The most UTF-8 bytes the field may hold.
    public var utf8Bytes: Int { scalars * 4 }

    /// A person's name: 200.
    public static let name = TextLimit(scalars: 200)
    /// A doctor's specialty: 200.
    public static let specialty = TextLimit(scalars: 200)
    /// A booking's reason and a cancel reason: 1,000.
    public static let reason = TextLimit(scalars: 1_000)
    /// Diagnosis and treatment: 4,000, and they may hold line feeds and tabs.
    public static let notes = TextLimit(scalars: 4_000, allowsLineBreaks: true)
    /// An email address: 254.
    public static let email = TextLimit(scalars: 254)
}
