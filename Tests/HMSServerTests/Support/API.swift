import Foundation
import HMSSyncCore
import HMSTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// An answer of the server, from the router test client or a real socket alike.
struct Reply: Sendable {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let body: ByteBuffer

    var text: String { String(buffer: body) }
    var requestId: String? { headers[.requestId] }

    /// The body read with the contract's decoder (RFC 3339 times).
    func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        try RFC3339.makeDecoder().decode(T.self, from: Data(body.readableBytesView))
    }

    /// The body as a plain JSON object, to look at the exact text of its values.
    func object() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any])
    }
}

extension HTTPField.Name {
    static let requestId = HTTPField.Name("X-Request-Id")!
}

/// A JSON request body; values are strings, numbers, booleans, arrays and nested objects.
typealias JSON = [String: any Sendable]

/// The HTTP client of a test: plain requests with an optional bearer token and JSON body.
struct API: Sendable {
    typealias Send = @Sendable (HTTPRequest.Method, String, HTTPFields, ByteBuffer?) async throws -> Reply
    let send: Send
    /// The live server's port (`.live` only), for opening more connections.
    let port: Int?

    init(_ client: any TestClientProtocol) {
        send = { method, uri, headers, body in
            let response = try await client.executeRequest(uri: uri, method: method, headers: headers, body: body)
            return Reply(status: response.status, headers: response.headers, body: response.body)
        }
        port = client.port
    }

    init(_ client: TestClient, port: Int) {
        send = { method, uri, headers, body in
            let response = try await client.execute(
                TestClient.Request(uri, method: method, authority: "localhost", headers: headers, body: body))
            return Reply(status: response.head.status, headers: response.head.headerFields, body: response.body ?? ByteBuffer())
        }
        self.port = port
    }

    /// Runs `body` with a client on a connection of its own to the live server.
    func onNewConnection<Value: Sendable>(_ body: @escaping @Sendable (API) async throws -> Value) async throws -> Value {
        let port = try #require(port, "a new connection needs the .live setup")
        return try await TestClient.withClient(host: "localhost", port: port) { client in
            try await body(API(client, port: port))
        }
    }

    @discardableResult
    func request(
        _ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json: JSON? = nil, body: String? = nil,
        headers: HTTPFields = [:]
    ) async throws -> Reply {
        var headers = headers
        if let token { headers[.authorization] = "Bearer \(token)" }
        var buffer: ByteBuffer?
        if let json {
            buffer = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json as [String: Any]))
        } else if let body {
            buffer = ByteBuffer(string: body)
        }
        if buffer != nil && headers[.contentType] == nil { headers[.contentType] = "application/json" }
        return try await send(method, uri, headers, buffer)
    }

    @discardableResult
    func get(_ uri: String, token: String? = nil, headers: HTTPFields = [:]) async throws -> Reply {
        try await request(.get, uri, token: token, headers: headers)
    }

    @discardableResult
    func post(_ uri: String, token: String? = nil, json: JSON? = nil, body: String? = nil) async throws -> Reply {
        try await request(.post, uri, token: token, json: json, body: body)
    }

    @discardableResult
    func delete(_ uri: String, token: String? = nil) async throws -> Reply {
        try await request(.delete, uri, token: token)
    }
}

extension TestServer {
    /// Builds the app as `hms-server` does and runs `test` with an ``API`` client of it.
    @discardableResult
    func run<Value>(_ setup: TestingSetup = .router, _ test: @Sendable (API) async throws -> Value) async throws -> Value {
        try await withClient(setup) { client in try await test(API(client)) }
    }

    /// The SQLite file, for the tests that are SQLite-only by nature.
    var databasePath: String {
        guard let path = database.sqlitePath else { preconditionFailure("a SQLite-only test ran on \(backend)") }
        return path
    }
}

/// Checks an error answer: its status, its `code`, and the contract's shape. Returns the body.
@discardableResult
func expectError(
    _ reply: Reply, _ status: Int, _ code: String, field: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) -> ErrorBody? {
    #expect(reply.status.code == status, "expected \(status) \(code), got \(reply.status.code): \(reply.text)",
            sourceLocation: sourceLocation)
    guard let body = try? reply.decode(ErrorBody.self) else {
        Issue.record("not an error body: \(reply.text)", sourceLocation: sourceLocation)
        return nil
    }
    #expect(body.code == code, "expected \(code): \(reply.text)", sourceLocation: sourceLocation)
    #expect(!body.error.isEmpty, sourceLocation: sourceLocation)
    if let field {
        #expect(body.details?["field"] == .string(field), "expected details.field \(field): \(reply.text)",
                sourceLocation: sourceLocation)
    }
    return body
}

/// Checks a successful answer's status and decodes its body.
func expectOK<T: Decodable>(
    _ reply: Reply, _ status: Int = 200, as type: T.Type = T.self, sourceLocation: SourceLocation = #_sourceLocation
) throws -> T {
    try #require(reply.status.code == status, "expected \(status), got \(reply.status.code): \(reply.text)",
                 sourceLocation: sourceLocation)
    return try reply.decode(T.self)
}
