import Foundation
import HMSTestSupport
import HTTPTypes
import Testing
@testable import HMSServer

/// A server whose console folder is the test's own, inside the server's temporary folder: a
/// page, a script, dotfiles, and beside the console folder a file the server must never reach
/// (directly, by `..` or through a symlink).
private func consoleServer(_ backend: TestBackend) async throws -> TestServer {
    let server = try await TestServer(backend)
    let root = server.folder.path
    let console = root + "/Console"
    let files = FileManager.default
    try files.createDirectory(atPath: console + "/js", withIntermediateDirectories: true)
    func write(_ text: String, _ path: String) throws { try Data(text.utf8).write(to: URL(fileURLWithPath: path)) }
    try write("<!doctype html><title>HMS console</title>", console + "/index.html")
    try write("export const ready = true;", console + "/js/app.js")
    try write("SECRET=1", console + "/.env")
    try write("hidden", console + "/js/.hidden")
    try write("outside", root + "/outside.txt")
    try files.createSymbolicLink(atPath: console + "/link-out", withDestinationPath: root + "/outside.txt")
    return server.restarted { $0.consoleDir = console }
}

@Suite("CONTRACT §9.7: the console's static files at /app/")
struct ConsoleServingTests {
    @Test("/app redirects to /app/", arguments: TestBackend.all)
    func bareAppRedirects(backend: TestBackend) async throws {
        try await consoleServer(backend).run { api in
            let reply = try await api.get("/app")
            #expect(reply.status == .movedPermanently)
            #expect(reply.headers[.location] == "/app/")
        }
    }

    @Test("/app/ is the console's index.html, without a token", arguments: TestBackend.all)
    func indexNeedsNoToken(backend: TestBackend) async throws {
        try await consoleServer(backend).run { api in
            let reply = try await api.get("/app/")
            #expect(reply.status == .ok)
            #expect(reply.headers[.contentType] == "text/html; charset=utf-8")
            #expect(reply.text.contains("<title>HMS console</title>"))
            #expect(try await api.get("/app/index.html").text == reply.text)
        }
    }

    @Test("the HTML is no-store and nosniff, under a strict Content-Security-Policy", arguments: TestBackend.all)
    func htmlHeaders(backend: TestBackend) async throws {
        try await consoleServer(backend).run { api in
            let reply = try await api.get("/app/")
            #expect(reply.headers[.cacheControl] == "no-store")
            #expect(reply.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            let policy = try #require(reply.headers[.contentSecurityPolicy])
            let directives = Dictionary(
                policy.split(separator: ";").map { part in
                    let words = part.split(separator: " ").map(String.init)
                    return (words[0], Array(words.dropFirst()))
                }, uniquingKeysWith: { first, _ in first })
            #expect(directives["default-src"] == ["'self'"])
            #expect(directives["script-src"] == ["'self'"])
            #expect(directives["connect-src"] == ["'self'"])
            #expect(directives["object-src"] == ["'none'"])
            #expect(directives["frame-ancestors"] == ["'none'"])
            #expect(!policy.contains("unsafe-inline") && !policy.contains("unsafe-eval"))
        }
    }

    @Test("a script is served as JavaScript, nosniff and no-store", arguments: TestBackend.all)
    func scriptType(backend: TestBackend) async throws {
        try await consoleServer(backend).run { api in
            let reply = try await api.get("/app/js/app.js")
            #expect(reply.status == .ok)
            #expect(reply.headers[.contentType] == "text/javascript; charset=utf-8")
            #expect(reply.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            #expect(reply.headers[.cacheControl] == "no-store")
            #expect(reply.text == "export const ready = true;")
        }
    }

    @Test("a path out of the folder is 404 NOT_FOUND", arguments: TestBackend.all, [
        "/app/../outside.txt", "/app/%2e%2e/outside.txt", "/app/js/..%2f..%2foutside.txt",
        "/app/js/%2e%2e/%2e%2e/outside.txt", "/app/..%5coutside.txt", "/app/link-out", "/app/%00",
    ])
    func traversalRefused(backend: TestBackend, path: String) async throws {
        try await consoleServer(backend).run { api in
            let reply = try await api.get(path)
            expectError(reply, 404, "NOT_FOUND")
            #expect(!reply.text.contains("outside"))
        }
    }

    @Test("dotfiles, folders and missing files are 404 NOT_FOUND",
          arguments: TestBackend.all, ["/app/.env", "/app/%2eenv", "/app/js/.hidden", "/app/js", "/app/js/", "/app/missing.js"])
    func hiddenOrMissing(backend: TestBackend, path: String) async throws {
        try await consoleServer(backend).run { api in
            expectError(try await api.get(path), 404, "NOT_FOUND")
        }
    }

    @Test("the console is read-only: POST /app/ is 405 METHOD_NOT_ALLOWED", arguments: TestBackend.all)
    func readOnly(backend: TestBackend) async throws {
        try await consoleServer(backend).run { api in
            expectError(try await api.post("/app/"), 405, "METHOD_NOT_ALLOWED")
        }
    }

    @Test("a server whose console folder is missing still starts and answers /app/ with 404 NOT_FOUND",
          arguments: TestBackend.all)
    func missingFolder(backend: TestBackend) async throws {
        try await TestServer(backend) { $0.consoleDir = "/nonexistent/hms-console" }.run { api in
            expectError(try await api.get("/app/"), 404, "NOT_FOUND")
            #expect(try await api.get("/healthz").status == .ok)
        }
    }

    @Test("HMS_CONSOLE_DIR names the folder; ./Console by default")
    func setting() throws {
        #expect(try Config.resolve { _ in nil }.consoleDir == "./Console")
        #expect(try Config.resolve { $0 == "HMS_CONSOLE_DIR" ? "/srv/console" : nil }.consoleDir == "/srv/console")
    }

    @Test("the repository's console is served, and every script and style it links is too", arguments: TestBackend.all)
    func repositoryConsole(backend: TestBackend) async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Console").path
        try await TestServer(backend) { $0.consoleDir = root }.run { api in
            let page = try await api.get("/app/")
            #expect(page.status == .ok)
            let links = page.text.matches(of: /(?:src|href)="([^"]+)"/).map { String($0.output.1) }
                .filter { $0.hasSuffix(".js") || $0.hasSuffix(".css") }
            #expect(!links.isEmpty)
            #expect(!page.text.contains("<script>") && !page.text.contains("style=\""))
            for link in links {
                let path = link.hasPrefix("/") ? link : "/app/" + link.replacingOccurrences(of: "./", with: "")
                #expect(try await api.get(path).status == .ok, "\(link) is not served")
            }
        }
    }
}
