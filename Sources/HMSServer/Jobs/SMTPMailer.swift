import CCurl
import Foundation

/// One message for the SMTP server.
struct OutgoingMail: Sendable {
    let from: String
    let to: String
    let subject: String
    let body: String
    let messageId: String
    let date: Date

    /// RFC 5322 text with CRLF line ends: every bare CR and bare LF of the body becomes CRLF,
    /// and a CR or LF in a header value becomes a space, so no text can end a header early or
    /// smuggle one in. Not dot-stuffed: libcurl escapes leading dots itself while it uploads.
    var rendered: String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        let headers = [
            "From: \(Self.headerValue(from))", "To: \(Self.headerValue(to))", "Subject: \(Self.headerValue(subject))",
            "Date: \(formatter.string(from: date))", "Message-ID: \(Self.headerValue(messageId))", "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit", "",
        ]
        return (headers + Self.lines(of: body)).joined(separator: "\r\n") + "\r\n"
    }

    /// The body's lines, split at CRLF, a bare CR or a bare LF alike.
    static func lines(of body: String) -> [String] {
        var lines: [String] = []
        var line = String.UnicodeScalarView()
        var afterCR = false
        // by scalars: Swift's Characters would fold "\r\n" into one and hide the bare ones
        for scalar in body.unicodeScalars {
            switch scalar {
            case "\r":
                lines.append(String(line))
                line = String.UnicodeScalarView()
            case "\n" where afterCR:
                break
            case "\n":
                lines.append(String(line))
                line = String.UnicodeScalarView()
            default:
                line.append(scalar)
            }
            afterCR = scalar == "\r"
        }
        lines.append(String(line))
        return lines
    }

    /// A header value on one line.
    static func headerValue(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0 == "\r" || $0 == "\n" ? " " : $0 }))
    }
}

/// Sends mail over SMTP with libcurl: `smtp://host:port` with STARTTLS (required unless
/// `requireTLS` is off, then used when offered), or `smtps://` for implicit TLS. Blocking, so
/// it runs on its own queue.
struct SMTPMailer: Sendable {
    let url: String
    /// Send only over TLS: STARTTLS must succeed (or the URL is `smtps://`), else nothing is sent.
    let requireTLS: Bool
    let timeoutSeconds: Int

    struct Failure: Error, CustomStringConvertible { let description: String }

    func send(_ mail: OutgoingMail) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try perform(mail) })
            }
        }
    }

    /// The message still to upload, handed to curl's read callback.
    private final class Payload {
        let bytes: [UInt8]
        var offset = 0
        init(_ text: String) { bytes = Array(text.utf8) }
    }

    private func perform(_ mail: OutgoingMail) throws {
        guard let curl = curl_easy_init() else { throw Failure(description: "libcurl could not start") }
        defer { curl_easy_cleanup(curl) }
        let payload = Payload(mail.rendered)
        let payloadPointer = Unmanaged.passUnretained(payload).toOpaque()
        var recipients: UnsafeMutablePointer<curl_slist>? = curl_slist_append(nil, "<\(mail.to)>")
        defer { curl_slist_free_all(recipients) }
        let result = url.withCString { url in
            "<\(mail.from)>".withCString { from in
                hms_curl_setopt_str(curl, CURLOPT_URL, url)
                hms_curl_setopt_str(curl, CURLOPT_MAIL_FROM, from)
                hms_curl_setopt_ptr(curl, CURLOPT_MAIL_RCPT, recipients)
                hms_curl_setopt_long(curl, CURLOPT_USE_SSL, Int((requireTLS ? CURLUSESSL_ALL : CURLUSESSL_TRY).rawValue))
                hms_curl_setopt_str(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps")
                hms_curl_setopt_long(curl, CURLOPT_NOSIGNAL, 1)
                hms_curl_setopt_long(curl, CURLOPT_CONNECTTIMEOUT, 10)
                hms_curl_setopt_long(curl, CURLOPT_TIMEOUT, timeoutSeconds)
                hms_curl_setopt_long(curl, CURLOPT_UPLOAD, 1)
                hms_curl_setopt_read(curl) { buffer, size, count, context in
                    let payload = Unmanaged<Payload>.fromOpaque(context!).takeUnretainedValue()
                    let length = min(size * count, payload.bytes.count - payload.offset)
                    guard length > 0, let buffer else { return 0 }
                    payload.bytes.withUnsafeBufferPointer { source in
                        UnsafeMutableRawPointer(buffer).copyMemory(
                            from: source.baseAddress! + payload.offset, byteCount: length)
                    }
                    payload.offset += length
                    return length
                }
                hms_curl_setopt_ptr(curl, CURLOPT_READDATA, payloadPointer)
                return curl_easy_perform(curl)
            }
        }
        _ = recipients
        recipients = recipients ?? nil
        guard result == CURLE_OK else { throw Failure(description: String(cString: curl_easy_strerror(result))) }
    }
}
