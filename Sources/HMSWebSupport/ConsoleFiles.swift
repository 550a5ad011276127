import Foundation

/// The web console's static files, read from one folder. Only plain files inside the folder are
/// served: a name that starts with a dot (dotfiles, `.`, `..`), holds a separator or NUL, or
/// resolves (through symlinks) outside the folder is not found.
package struct ConsoleFiles: Sendable {
    /// A file to send: its bytes and media type.
    package struct File: Sendable {
        package let bytes: Data
        package let contentType: String
    }

    /// The folder as given (`HMS_CONSOLE_DIR`), relative to the working directory if relative.
    package let folder: String

    package init(folder: String) {
        self.folder = folder
    }

    /// Media types by file extension; other files are sent as opaque bytes.
    package static let contentTypes: [String: String] = [
        "html": "text/html; charset=utf-8", "js": "text/javascript; charset=utf-8",
        "mjs": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8",
        "json": "application/json", "svg": "image/svg+xml", "png": "image/png", "ico": "image/x-icon",
        "woff2": "font/woff2", "txt": "text/plain; charset=utf-8", "webmanifest": "application/manifest+json",
    ]

    /// The file at `components` (percent-encoded path segments below `/app/`), or nil when there is
    /// no such servable file.
    package func file(at components: [Substring]) -> File? {
        var names: [String] = []
        for component in components {
            guard let name = Self.safeName(component) else { return nil }
            names.append(name)
        }
        guard let root = Self.realPath(folder),
              let path = Self.realPath(([root] + names).joined(separator: "/")),
              // Resolved, so that a symlink pointing out of the folder is not followed.
              path.hasPrefix(root + "/")
        else { return nil }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue,
              let bytes = FileManager.default.contents(atPath: path)
        else { return nil }
        let url = URL(fileURLWithPath: path)
        let type = Self.contentTypes[url.pathExtension.lowercased()] ?? "application/octet-stream"
        return File(bytes: bytes, contentType: type)
    }

    /// The absolute path with every symlink, `.` and `..` resolved, or nil when nothing is there.
    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// A path segment decoded, or nil when it could name something other than a plain child.
    private static func safeName(_ component: Substring) -> String? {
        guard let name = String(component).removingPercentEncoding, !name.isEmpty, !name.hasPrefix("."),
              !name.contains("/"), !name.contains("\\"), !name.contains("\0")
        else { return nil }
        return name
    }
}
