import Foundation

/// Calls the server for the sync engine: JSON in and out, retries with backoff while the
/// server is unreachable, answers 5xx or 429, and one token refresh on 401.
struct APIClient: Sendable {
    let transport: any HTTPTransport
    let replica: Replica
    let retry: RetryPolicy

    /// A request's answer, decoded, or the error that ends it.
    func call<T: Decodable>(
        _ method: String, server: String, path: String, body: (some Encodable)? = nil as String?,
        authorized: Bool = true, as type: T.Type
    ) async throws -> T {
        let data = try body.map { try RFC3339.makeEncoder().encode($0) }
        let response = try await exchange(method, server: server, path: path, body: data, authorized: authorized)
        if T.self == EmptyAnswer.self, let empty = EmptyAnswer() as? T { return empty }
        do {
            return try RFC3339.makeDecoder().decode(T.self, from: response.body)
        } catch {
            throw ReplicaError.refused(DomainError(.internal, "the server's answer could not be read"))
        }
    }

    /// A GET's raw answer body (for pages the caller parses itself), with the same retries and refresh.
    func fetch(server: String, path: String) async throws -> Data {
        try await exchange("GET", server: server, path: path, body: nil, authorized: true).body
    }

    /// A 2xx answer, after one token refresh on 401; anything else is thrown as its refusal.
    private func exchange(_ method: String, server: String, path: String, body: Data?, authorized: Bool) async throws
        -> TransportResponse
    {
        var response = try await send(method, server: server, path: path, body: body, authorized: authorized)
        if response.status == 401 && authorized {
            try await refreshTokens(server: server)
            response = try await send(method, server: server, path: path, body: body, authorized: true)
            if response.status == 401 { throw ReplicaError.loginNeeded("the server refused the session; log in again") }
        }
        guard (200..<300).contains(response.status) else { throw Self.refusal(response) }
        return response
    }

    /// Trades the refresh token for a new pair, once; a refusal means signing in again.
    func refreshTokens(server: String) async throws {
        guard let session = try replica.session() else { throw ReplicaError.loginNeeded("sign in first") }
        let body = try RFC3339.makeEncoder().encode(["refreshToken": session.refreshToken])
        let response = try await send("POST", server: server, path: "/v1/auth/refresh", body: body, authorized: false)
        if response.status == 403 { throw Self.refusal(response) }
        guard response.status == 200, let pair = try? RFC3339.makeDecoder().decode(TokenPair.self, from: response.body)
        else { throw ReplicaError.loginNeeded("the session has expired; log in again") }
        try replica.storeTokens(pair)
    }

    /// Sends until the server answers with something other than 5xx or 429, or stays silent
    /// longer than the retry policy allows.
    private func send(_ method: String, server: String, path: String, body: Data?, authorized: Bool) async throws
        -> TransportResponse
    {
        var headers = [("Accept", "application/json")]
        if body != nil { headers.append(("Content-Type", "application/json")) }
        if authorized {
            guard let session = try replica.session() else { throw ReplicaError.loginNeeded("sign in first") }
            headers.append(("Authorization", "Bearer \(session.accessToken)"))
        }
        let request = TransportRequest(method: method, url: server + path, headers: headers, body: body)
        let started = Date()
        var generator = SystemRandomNumberGenerator()
        var attempt = 0
        var lastProblem = "no answer"
        while true {
            var wait: TimeInterval?
            do {
                let response = try await transport.send(request)
                switch response.status {
                case 429:
                    lastProblem = "the server is rate limiting"
                    wait = retry.retryAfter(response.headers["retry-after"])
                case 500...599 where response.status != 501:
                    lastProblem = "the server answered \(response.status)"
                default:
                    return response
                }
            } catch let error as TransportError where !error.isRetryable {
                throw ReplicaError.refused(DomainError(.internal, error.description))
            } catch let error as TransportError {
                lastProblem = error.description
            }
            let delay = wait ?? retry.delay(attempt: attempt, using: &generator)
            attempt += 1
            guard Date().timeIntervalSince(started) + delay < retry.silenceLimit else {
                throw ReplicaError.unreachable("the server did not answer (\(lastProblem)); nothing was lost")
            }
            try await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000))
        }
    }

    static func refusal(_ response: TransportResponse) -> ReplicaError {
        guard let body = try? JSONDecoder().decode(ErrorBody.self, from: response.body),
            let code = ErrorCode(rawValue: body.code)
        else {
            return .refused(DomainError(.internal, "the server answered \(response.status)"))
        }
        if code == .unauthenticated { return .loginNeeded(body.error) }
        return .refused(DomainError(code, body.error, details: body.details ?? [:]))
    }
}

/// For calls whose answer has no body to read (204).
struct EmptyAnswer: Decodable {}
