import Foundation
import HMSSyncCore
import HMSSyncCurl

/// An HTTP answer as the tests read it.
public struct Answer: Sendable {
    public let status: Int
    public let body: Data

    /// The body read with the contract's decoder (RFC 3339 times).
    public func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        do {
            return try RFC3339.makeDecoder().decode(T.self, from: body)
        } catch {
            throw TestFailure("cannot read \(T.self) from \(status) \(text): \(error)")
        }
    }

    /// The body as JSON (objects, arrays, strings, numbers), nil when empty or not JSON.
    public var json: Any? {
        body.isEmpty ? nil : try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed])
    }

    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The contract's error body, when the answer is one.
    public var error: ErrorBody? { try? JSONDecoder().decode(ErrorBody.self, from: body) }
    public var code: String? { error?.code }
}

/// Plain calls to a real server's REST and sync endpoints over the library's libcurl transport,
/// as another client would make them. One easy handle per instance: make one per concurrent
/// writer.
public struct RESTClient: Sendable {
    public let base: String
    public let transport: CurlTransport

    /// A client of `base` (`http://127.0.0.1:PORT`) that gives up after `timeout` seconds.
    public init(base: String, timeout: Int = 30) {
        self.base = base
        transport = CurlTransport(connectTimeout: 5, totalTimeout: timeout)
    }

    public func send(_ method: String, _ path: String, token: String? = nil, body: Data? = nil) async throws -> Answer {
        var headers = [("Accept", "application/json")]
        if body != nil { headers.append(("Content-Type", "application/json")) }
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        let response = try await transport.send(TransportRequest(method: method, url: base + path, headers: headers, body: body))
        return Answer(status: response.status, body: response.body)
    }

    /// Sends `json` encoded as the contract writes it.
    public func send(_ method: String, _ path: String, token: String? = nil, json: some Encodable) async throws -> Answer {
        try await send(method, path, token: token, body: try RFC3339.makeEncoder().encode(json))
    }

    /// Sends and requires a 2xx answer, decoded.
    public func expect<T: Decodable>(
        _ method: String, _ path: String, token: String? = nil, json: (some Encodable)? = nil as String?,
        as type: T.Type = T.self
    ) async throws -> T {
        let answer = try await send(method, path, token: token, body: try json.map { try RFC3339.makeEncoder().encode($0) })
        guard (200..<300).contains(answer.status) else {
            throw TestFailure("\(method) \(path) answered \(answer.status) \(answer.text)")
        }
        return try answer.decode(T.self)
    }

    /// Every item of a paged list.
    public func all<T: Codable & Sendable>(_ path: String, token: String, as type: T.Type = T.self) async throws -> [T] {
        var items: [T] = []
        var cursor: String?
        repeat {
            var url = path + (path.contains("?") ? "&" : "?") + "limit=200"
            if let cursor { url += "&cursor=\(cursor)" }
            let page = try await expect("GET", url, token: token, as: Page<T>.self)
            items += page.items
            cursor = page.nextCursor
        } while cursor != nil
        return items
    }

    /// The JSON object of a call with a plain JSON body that must answer `expected`.
    @discardableResult
    public func object(
        _ method: String, _ path: String, _ body: [String: any Sendable]? = nil, token: String? = nil,
        expect expected: Int = 200
    ) async throws -> [String: Any] {
        let data = try body.map { try JSONSerialization.data(withJSONObject: $0 as [String: Any]) }
        let answer = try await send(method, path, token: token, body: data)
        guard answer.status == expected, let object = answer.json as? [String: Any] else {
            throw TestFailure("\(method) \(path) answered \(answer.status): \(answer.text)")
        }
        return object
    }
}
