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

extension TransportRequest {
    /// The request's URL when it is an `http` or `https` URL naming a host; otherwise the
    /// refusal every transport gives before sending anything (not retryable).
    public func httpURL() throws -> URL {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased() else {
            throw TransportError("not a valid URL", isRetryable: false)
        }
        guard scheme == "http" || scheme == "https" else { throw TransportError.unsupportedScheme }
        guard parsed.host?.isEmpty == false else { throw TransportError("the URL names no host", isRetryable: false) }
        return parsed
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

    /// The default cap on an answer's body, after decompression: 64 MiB, far above the largest
    /// page the server sends. Every transport refuses a larger answer with `TransportError.tooLarge`.
    public static let defaultBodyLimit = 64 << 20
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

    /// An answer past `limit` bytes, refused: sending again would bring the same answer.
    public static func tooLarge(limit: Int) -> TransportError {
        let cap = limit >= 1 << 20 ? "\(limit >> 20) MiB" : "\(limit) bytes"
        return TransportError("the server's answer is larger than \(cap); refused", isRetryable: false)
    }

    /// A URL whose scheme is not `http` or `https`, refused before anything is sent.
    public static let unsupportedScheme = TransportError("only http and https URLs are spoken", isRetryable: false)
}

/// Sends one request and waits for its answer. The sync engine speaks only through this, so a
/// test can put a fault-injecting transport or a proxy in between, and an iOS app its own.
///
/// Every transport honours the same contract (Tests/HMSSyncTests/TransportContractTests.swift):
/// only `http` and `https`; redirects are returned, not followed; gzip is accepted; a non-2xx
/// answer is returned with its body, not thrown; a failure to get an answer (refused, reset,
/// cut off, timed out) throws a retryable `TransportError`; an answer over the body limit throws
/// `TransportError.tooLarge`, which is not retryable. `HMSSyncCurl` and `HMSSyncURLSession` ship two.
public protocol HTTPTransport: Sendable {
    func send(_ request: TransportRequest) async throws -> TransportResponse
}
