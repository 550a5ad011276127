import Foundation
import HMSSyncCore
import HMSSyncCurl

/// An HTTP answer as the tests read it.
struct Answer: Sendable {
    let status: Int
    let body: Data

    func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        do {
            return try RFC3339.makeDecoder().decode(T.self, from: body)
        } catch {
            throw TestFailure("cannot read \(T.self) from \(status) \(String(decoding: body, as: UTF8.self)): \(error)")
        }
    }

    /// The contract's error body, when the answer is one.
    var error: ErrorBody? { try? JSONDecoder().decode(ErrorBody.self, from: body) }
    var code: String? { error?.code }
}

/// Plain calls to the server's REST and sync endpoints over libcurl, as another client would
/// make them. One easy handle per instance: make one per concurrent writer.
struct REST: Sendable {
    let base: String
    let transport = CurlTransport(connectTimeout: 5, totalTimeout: 30)

    func send(_ method: String, _ path: String, token: String? = nil, body: Data? = nil) async throws -> Answer {
        var headers = [("Accept", "application/json")]
        if body != nil { headers.append(("Content-Type", "application/json")) }
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        let response = try await transport.send(TransportRequest(method: method, url: base + path, headers: headers, body: body))
        return Answer(status: response.status, body: response.body)
    }

    func send(_ method: String, _ path: String, token: String? = nil, json: some Encodable) async throws -> Answer {
        try await send(method, path, token: token, body: try RFC3339.makeEncoder().encode(json))
    }

    /// Sends and requires a 2xx answer, decoded.
    func expect<T: Decodable>(
        _ method: String, _ path: String, token: String? = nil, json: (some Encodable)? = nil as String?, as type: T.Type = T.self
    ) async throws -> T {
        let answer = try await send(method, path, token: token, body: try json.map { try RFC3339.makeEncoder().encode($0) })
        guard (200..<300).contains(answer.status) else {
            throw TestFailure("\(method) \(path) answered \(answer.status) \(String(decoding: answer.body, as: UTF8.self))")
        }
        return try answer.decode(T.self)
    }

    /// Every item of a paged list.
    func all<T: Codable & Sendable>(_ path: String, token: String, as type: T.Type = T.self) async throws -> [T] {
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
}
