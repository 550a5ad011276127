import Foundation
import HMSSyncCore
import HMSSyncCurl
import HMSSyncURLSession
import Testing

/// The transports that ship, for tests that must hold for each.
enum TransportKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    /// `HMSSyncCurl.CurlTransport`, the CLI's.
    case curl
    /// `HMSSyncURLSession.URLSessionTransport`, the mobile apps'.
    case urlSession

    var testDescription: String { self == .curl ? "libcurl" : "URLSession" }

    /// A transport of this kind that gives up after `timeout` seconds and takes answers up to `limit` bytes.
    func make(timeout: Int = 30, limit: Int = TransportResponse.defaultBodyLimit) -> any HTTPTransport {
        switch self {
        case .curl: CurlTransport(connectTimeout: min(5, timeout), totalTimeout: timeout, maxResponseBytes: limit)
        case .urlSession: URLSessionTransport(timeout: TimeInterval(timeout), maxResponseBytes: limit)
        }
    }
}
