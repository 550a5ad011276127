import Foundation
import HMSSyncCore

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The session delegate of a `URLSessionTransport`: collects each task's answer, enforces the
/// body limit and the whole exchange's deadline, refuses redirects, and resumes the waiting
/// caller once per task.
final class URLSessionExchanges: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    // @unchecked: `open` is read and written under `lock` only; URLSession calls in on its own
    // serial queue, callers of `start` and `stop` on any thread.
    private let lock = NSLock()
    private var open: [Int: Exchange] = [:]

    /// One task in flight.
    private struct Exchange {
        let task: URLSessionTask
        let limit: Int
        let continuation: CheckedContinuation<TransportResponse, any Error>
        var body = Data()
        /// Why this side stopped the task, when it did.
        var refusal: TransportError?
    }

    static let cancelled = TransportError("the request was cancelled")
    static let timedOut = TransportError("the server did not answer in time")

    /// Runs `task`; its outcome resumes `continuation`. `deadline` seconds bound the whole
    /// exchange (not left to URLSession's resource timeout, whose support differs between
    /// Foundation implementations).
    func start(_ task: URLSessionTask, limit: Int, deadline: TimeInterval, continuation: CheckedContinuation<TransportResponse, any Error>) {
        let id = task.taskIdentifier
        lock.withLock { open[id] = Exchange(task: task, limit: limit, continuation: continuation) }
        task.resume()
        DispatchQueue.global().asyncAfter(deadline: .now() + deadline) { [weak self] in self?.stop(id, with: Self.timedOut) }
    }

    /// Cancels task `id` with `refusal` as its outcome, when it is still running.
    func stop(_ id: Int, with refusal: TransportError) {
        let task = lock.withLock { () -> URLSessionTask? in
            guard open[id] != nil, open[id]?.refusal == nil else { return nil }
            open[id]?.refusal = refusal
            return open[id]?.task
        }
        task?.cancel()
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @Sendable @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        let limit = lock.withLock { open[dataTask.taskIdentifier]?.limit } ?? .max
        if response.expectedContentLength > Int64(limit) {
            stop(dataTask.taskIdentifier, with: .tooLarge(limit: limit))
            completionHandler(.cancel)
        } else {
            completionHandler(.allow)
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let id = dataTask.taskIdentifier
        let overLimit = lock.withLock { () -> Int? in
            // counts read first, so the append below changes the body in place instead of a copy
            guard let (taken, limit) = open[id].flatMap({ $0.refusal == nil ? ($0.body.count, $0.limit) : nil }) else { return nil }
            guard taken + data.count <= limit else { return limit }
            open[id]?.body.append(data)
            return nil
        }
        if let overLimit { stop(id, with: .tooLarge(limit: overLimit)) }
    }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @Sendable @escaping (URLRequest?) -> Void
    ) {
        completionHandler(nil)  // the redirect is the answer, as with libcurl
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        guard let exchange = lock.withLock({ open.removeValue(forKey: task.taskIdentifier) }) else { return }
        if let refusal = exchange.refusal {
            exchange.continuation.resume(throwing: refusal)
        } else if let error {
            exchange.continuation.resume(throwing: Self.transportError(error))
        } else if let response = task.response as? HTTPURLResponse {
            var headers: [String: String] = [:]
            for (name, value) in response.allHeaderFields {
                if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
            }
            exchange.continuation.resume(returning: TransportResponse(status: response.statusCode, headers: headers, body: exchange.body))
        } else {
            exchange.continuation.resume(throwing: TransportError("the answer was not HTTP"))
        }
    }

    /// A URLSession failure as a `TransportError` that names what happened, never the URL.
    static func transportError(_ error: any Error) -> TransportError {
        let error = error as NSError
        guard error.domain == NSURLErrorDomain else { return TransportError("the request failed (\(error.domain) \(error.code))") }
        let what: String
        switch URLError.Code(rawValue: error.code) {
        case .timedOut: return timedOut
        case .unsupportedURL: return .unsupportedScheme
        case .cancelled: return cancelled
        case .cannotConnectToHost: what = "could not connect to the server"
        case .cannotFindHost, .dnsLookupFailed: what = "the server's name was not found"
        case .networkConnectionLost: what = "the connection was lost"
        case .notConnectedToInternet: what = "no network"
        case .badServerResponse: what = "the server's answer was malformed or cut off"
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
            .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot:
            what = "the TLS connection failed"
        default: what = "the request failed"
        }
        return TransportError("\(what) (URLError \(error.code))")
    }
}
