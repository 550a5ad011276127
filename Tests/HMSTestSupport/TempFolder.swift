import Foundation

/// A folder of its own under the temporary directory, removed when the last test holding it
/// lets go (kept when `HMS_KEEP_TEST_FILES` is set, to look at a failure).
public final class TempFolder: Sendable {
    public let path: String

    public init(_ prefix: String = "test") throws {
        path = (NSTemporaryDirectory() as NSString)
            .appendingPathComponent("hms-\(prefix)-\(UUID().uuidString.prefix(13).lowercased())")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// The path of `name` inside the folder.
    public func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    deinit {
        guard ProcessInfo.processInfo.environment["HMS_KEEP_TEST_FILES"] == nil else { return }
        try? FileManager.default.removeItem(atPath: path)
    }
}
