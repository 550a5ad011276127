import Foundation

/// One HTTP exchange, as plain values.
public struct TransportRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(String, String)]
    public var body: Data?

    public init(method: String, url: String, headers: [(String, String)] = [], body: Data? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// The answer: status, headers (names lower-cased) and body.
public struct TransportResponse: Sendable {
    public let status: Int
    public let headers: [String: String]
    public let body: Data

    public init(status: Int, headers: [String: String], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// The request did not get a usable answer: connection refused, reset or timed out (worth
/// retrying), or an answer the client refuses to take, such as one over the size cap (not).
public struct TransportError: Error, Sendable, CustomStringConvertible {
    public let description: String
    /// Whether sending the same request again may succeed.
    public let isRetryable: Bool

    public init(_ description: String, isRetryable: Bool = true) {
        self.description = description
        self.isRetryable = isRetryable
    }
}

/// Sends one request and waits for its answer. The sync engine speaks only through this, so a
/// test can put a fault-injecting transport or a proxy in between, and an iOS app its own.
public protocol HTTPTransport: Sendable {
    func send(_ request: TransportRequest) async throws -> TransportResponse
}
