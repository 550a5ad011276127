import Foundation

/// The package's executables under test, built by `swift build` (or `--build-tests`) before
/// `swift test`.
public enum Binaries {
    /// The package root, two levels above this file's folder (`Tests/HMSTestSupport`).
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `.build/debug/NAME` (or `HMS_BIN_DIR/NAME`), or a failure saying how to build it.
    public static func path(of name: String) throws -> String {
        let folder = ProcessInfo.processInfo.environment["HMS_BIN_DIR"]
            ?? packageRoot.appendingPathComponent(".build/debug").path
        let path = (folder as NSString).appendingPathComponent(name)
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw TestFailure("\(path) is missing: run `swift build` (it builds hms-server and hms-sync) before `swift test`")
        }
        return path
    }
}
