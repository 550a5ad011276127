import Foundation
import HMSSyncCore

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `HTTPTransport` on `URLSession`, for apps on Apple platforms (and anywhere Foundation's
/// networking runs: on Linux through FoundationNetworking). It keeps the contract of every
/// transport (see `HTTPTransport`): `http` and `https` only, redirects returned and not followed,
/// gzip accepted, non-2xx answers returned with their body, an answer past `maxResponseBytes`
/// (after decompression) cut off with the non-retryable `TransportError.tooLarge`, and any
/// failure to get an answer a retryable `TransportError`. One session per transport, so
/// connections stay alive between requests; no cookies, no cache.
public final class URLSessionTransport: HTTPTransport, Sendable {
    private let session: URLSession
    private let exchanges: URLSessionExchanges
    private let timeout: TimeInterval
    private let maxResponseBytes: Int

    /// - Parameters:
    ///   - timeout: seconds for a whole exchange, and the longest silence within it.
    ///   - maxResponseBytes: the largest answer body taken.
    ///   - configuration: a base configuration (say, with an app's own TLS or proxy settings);
    ///     its timeouts, cookies and cache are set here.
    public init(
        timeout: TimeInterval = 60, maxResponseBytes: Int = TransportResponse.defaultBodyLimit,
        configuration: URLSessionConfiguration = .ephemeral
    ) {
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
        let configuration = configuration.copy() as! URLSessionConfiguration  // the caller's stays as it was
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        exchanges = URLSessionExchanges()
        session = URLSession(configuration: configuration, delegate: exchanges, delegateQueue: nil)
    }

    deinit {
        // the session holds its delegate until it is invalidated
        session.invalidateAndCancel()
    }

    public func send(_ request: TransportRequest) async throws -> TransportResponse {
        var urlRequest = URLRequest(url: try request.httpURL(), cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        urlRequest.httpMethod = request.method
        for (name, value) in request.headers { urlRequest.addValue(value, forHTTPHeaderField: name) }
        urlRequest.httpBody = request.body ?? (request.method == "POST" ? Data() : nil)
        let task = session.dataTask(with: urlRequest)
        let id = task.taskIdentifier
        let exchanges = exchanges
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                exchanges.start(task, limit: maxResponseBytes, deadline: timeout, continuation: continuation)
                if Task.isCancelled { exchanges.stop(id, with: URLSessionExchanges.cancelled) }
            }
        } onCancel: {
            exchanges.stop(id, with: URLSessionExchanges.cancelled)
        }
    }
}
