import Foundation
import HMSSyncCore
import HMSSyncCurl

/// The few REST and sync calls the bench makes itself, over the library's libcurl transport.
struct API {
    let base: String
    let transport = CurlTransport(connectTimeout: 5, totalTimeout: 600)

    func send(_ method: String, _ path: String, body: Data? = nil, token: String? = nil) async throws -> TransportResponse {
        var headers = [("Accept", "application/json")]
        if body != nil { headers.append(("Content-Type", "application/json")) }
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        return try await transport.send(TransportRequest(method: method, url: base + path, headers: headers, body: body))
    }

    /// A JSON call that must answer 2xx, decoded as `T`.
    func call<T: Decodable>(_ method: String, _ path: String, _ body: some Encodable, token: String? = nil, as type: T.Type)
        async throws -> T
    {
        let answer = try await send(method, path, body: try RFC3339.makeEncoder().encode(body), token: token)
        guard (200..<300).contains(answer.status) else {
            throw BenchError("\(method) \(path) answered \(answer.status): \(String(decoding: answer.body, as: UTF8.self))")
        }
        return try RFC3339.makeDecoder().decode(T.self, from: answer.body)
    }

    func login(_ email: String, _ password: String) async throws -> String {
        try await call("POST", "/v1/auth/login", ["email": email, "password": password], as: TokenPair.self).accessToken
    }

    struct Created: Decodable { let id: String }
}
