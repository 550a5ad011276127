import CCurl
import Foundation
import HMSSyncCore

/// `HTTPTransport` on libcurl. curl blocks, so requests run one at a time on a private serial
/// queue, off Swift's cooperative threads; the one easy handle is reused so connections stay
/// alive between requests. TLS peers are verified (curl's default), gzip is accepted. Only
/// `http` and `https` are spoken, redirects are not followed, and an answer larger than
/// `maxResponseBytes` (after decompression) is cut off and refused. The CLI's transport; it
/// lives outside `HMSSyncCore` because libcurl is not there on iOS (`HMSSyncURLSession` is).
public final class CurlTransport: HTTPTransport, @unchecked Sendable {
    // @unchecked: `handle` is touched only on `queue`, which is serial.
    private let queue = DispatchQueue(label: "hms.curl")
    private var handle: UnsafeMutableRawPointer?
    private let connectTimeout: Int
    private let totalTimeout: Int
    private let maxResponseBytes: Int

    /// - Parameters:
    ///   - connectTimeout: seconds to establish a connection.
    ///   - totalTimeout: seconds for a whole exchange.
    ///   - maxResponseBytes: the largest answer body taken.
    public init(connectTimeout: Int = 10, totalTimeout: Int = 60, maxResponseBytes: Int = TransportResponse.defaultBodyLimit) {
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.maxResponseBytes = maxResponseBytes
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
    }

    deinit {
        if let handle { curl_easy_cleanup(handle) }
    }

    public func send(_ request: TransportRequest) async throws -> TransportResponse {
        _ = try request.httpURL()  // the shared refusals first; curl's protocol list stays as a second lock
        return try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try self.perform(request) })
            }
        }
    }

    /// Collects what curl hands to its callbacks.
    private final class Sink {
        let limit: Int
        var body = Data()
        var headers: [String: String] = [:]
        var headerBytes = 0
        var tooLarge = false
        init(limit: Int) { self.limit = limit }
    }

    private func perform(_ request: TransportRequest) throws -> TransportResponse {
        if handle == nil { handle = curl_easy_init() }
        guard let curl = handle else { throw TransportError("libcurl could not start") }
        curl_easy_reset(curl)
        let sink = Sink(limit: maxResponseBytes)
        let sinkPointer = Unmanaged.passUnretained(sink).toOpaque()
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }
        for (name, value) in request.headers + [("Expect", "")] {
            headerList = curl_slist_append(headerList, "\(name): \(value)")
        }
        let body = request.body ?? Data()
        return try request.url.withCString { url in
            try request.method.withCString { method in
                try body.withUnsafeBytes { bodyBytes in
                    hms_curl_setopt_str(curl, CURLOPT_URL, url)
                    hms_curl_setopt_str(curl, CURLOPT_CUSTOMREQUEST, method)
                    hms_curl_setopt_long(curl, CURLOPT_NOSIGNAL, 1)
                    hms_curl_setopt_str(curl, CURLOPT_PROTOCOLS_STR, "http,https")
                    hms_curl_setopt_str(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
                    hms_curl_setopt_long(curl, CURLOPT_FOLLOWLOCATION, 0)
                    hms_curl_setopt_long(curl, CURLOPT_MAXFILESIZE, maxResponseBytes)
                    hms_curl_setopt_long(curl, CURLOPT_CONNECTTIMEOUT, connectTimeout)
                    hms_curl_setopt_long(curl, CURLOPT_TIMEOUT, totalTimeout)
                    hms_curl_setopt_str(curl, CURLOPT_ACCEPT_ENCODING, "")
                    hms_curl_setopt_ptr(curl, CURLOPT_HTTPHEADER, headerList)
                    if request.body != nil || request.method == "POST" {
                        hms_curl_setopt_long(curl, CURLOPT_POSTFIELDSIZE, body.count)
                        hms_curl_setopt_ptr(curl, CURLOPT_POSTFIELDS, bodyBytes.baseAddress ?? UnsafeRawPointer(url))
                    }
                    hms_curl_setopt_write(curl) { data, size, count, context in
                        let sink = Unmanaged<Sink>.fromOpaque(context!).takeUnretainedValue()
                        guard sink.body.count + size * count <= sink.limit else {
                            sink.tooLarge = true
                            return 0  // fewer bytes than handed over: curl aborts the transfer
                        }
                        sink.body.append(UnsafeRawPointer(data!).assumingMemoryBound(to: UInt8.self), count: size * count)
                        return size * count
                    }
                    hms_curl_setopt_ptr(curl, CURLOPT_WRITEDATA, sinkPointer)
                    hms_curl_setopt_header(curl) { data, size, count, context in
                        let sink = Unmanaged<Sink>.fromOpaque(context!).takeUnretainedValue()
                        sink.headerBytes += size * count
                        guard sink.headerBytes <= sink.limit else {
                            sink.tooLarge = true
                            return 0
                        }
                        let line = String(decoding: UnsafeRawBufferPointer(start: data, count: size * count), as: UTF8.self)
                        if let colon = line.firstIndex(of: ":") {
                            let name = line[..<colon].lowercased()
                            sink.headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
                        }
                        return size * count
                    }
                    hms_curl_setopt_ptr(curl, CURLOPT_HEADERDATA, sinkPointer)
                    let result = curl_easy_perform(curl)
                    if sink.tooLarge || result == CURLE_FILESIZE_EXCEEDED {
                        throw TransportError.tooLarge(limit: maxResponseBytes)
                    }
                    guard result == CURLE_OK else {
                        throw TransportError(
                            String(cString: curl_easy_strerror(result)), isRetryable: result != CURLE_UNSUPPORTED_PROTOCOL)
                    }
                    var status = 0
                    hms_curl_getinfo_long(curl, CURLINFO_RESPONSE_CODE, &status)
                    return TransportResponse(status: status, headers: sink.headers, body: sink.body)
                }
            }
        }
    }
}
