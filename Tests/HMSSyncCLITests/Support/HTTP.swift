import Foundation
import HMSSyncCore
import HMSSyncCurl

/// Plain JSON calls to the server for test setup, over the library's libcurl transport.
struct HTTP: Sendable {
    let base: String
    let transport = CurlTransport(connectTimeout: 5, totalTimeout: 30)

    /// The status and the decoded JSON body (nil when empty).
    @discardableResult
    func call(_ method: String, _ path: String, _ body: [String: Any]? = nil, token: String? = nil) async throws
        -> (status: Int, json: Any?)
    {
        var headers = [("Accept", "application/json")]
        var data: Data?
        if let body {
            headers.append(("Content-Type", "application/json"))
            data = try JSONSerialization.data(withJSONObject: body)
        }
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        let response = try await transport.send(TransportRequest(method: method, url: base + path, headers: headers, body: data))
        let json = response.body.isEmpty ? nil : try? JSONSerialization.jsonObject(with: response.body, options: [.fragmentsAllowed])
        return (response.status, json)
    }

    /// The JSON object of a call that must answer `expected`.
    func object(_ method: String, _ path: String, _ body: [String: Any]? = nil, token: String? = nil, expect expected: Int = 200)
        async throws -> [String: Any]
    {
        let (status, json) = try await call(method, path, body, token: token)
        guard status == expected, let object = json as? [String: Any] else {
            throw TestFailure("\(method) \(path) answered \(status): \(String(describing: json))")
        }
        return object
    }

    /// Logs in and answers the access token.
    func token(email: String, password: String) async throws -> String {
        let answer = try await object("POST", "/v1/auth/login", ["email": email, "password": password])
        return answer["accessToken"] as! String
    }
}
