import Foundation
import Testing

/// The real executables under test, built by `swift build` before `swift test`.
enum Binaries {
    /// The package root, three levels above this file (`Tests/HMSSyncCLITests/Support`).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var server: String { path(of: "hms-server") }
    static var sync: String { path(of: "hms-sync") }

    /// `.build/debug/NAME` (or `HMS_BIN_DIR/NAME`), or a test failure saying how to build it.
    static func path(of name: String) -> String {
        let folder = ProcessInfo.processInfo.environment["HMS_BIN_DIR"]
            ?? packageRoot.appendingPathComponent(".build/debug").path
        let path = (folder as NSString).appendingPathComponent(name)
        if !FileManager.default.isExecutableFile(atPath: path) {
            Issue.record("\(path) is missing: run `swift build` (it builds hms-server and hms-sync) before `swift test`")
        }
        return path
    }
}
