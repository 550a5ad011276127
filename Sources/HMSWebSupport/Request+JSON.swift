import Foundation
import HMSSyncCore
import Hummingbird

extension Request {
    /// Decodes the JSON body; a malformed body or a field of the wrong type is `VALIDATION`
    /// naming the field, a body over the context's limit is `PAYLOAD_TOO_LARGE`. An empty body
    /// reads as `{}` where `allowEmpty` (bodies whose fields are all optional). A body nested
    /// deeper than `JSONNesting.requestLimit` is `VALIDATION` before any decoder sees it. Times are
    /// read as the contract writes them (`RFC3339`).
    package func decodeJSON<T: Decodable>(as type: T.Type, context: some RequestContext, allowEmpty: Bool = false) async throws
        -> T
    {
        var buffer = try await body.collect(upTo: context.maxUploadSize)
        if allowEmpty && buffer.readableBytes == 0 {
            buffer = ByteBuffer(string: "{}")
        }
        guard JSONNesting.isWithin(buffer.readableBytesView, limit: JSONNesting.requestLimit) else {
            throw DomainError.validation(
                field: "body", "the body nests arrays and objects deeper than \(JSONNesting.requestLimit) levels")
        }
        do {
            return try RFC3339.makeDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw DomainError.validation(field: error.fieldName, error.humanMessage)
        }
    }
}

extension DecodingError {
    /// Keys longer than this are the sender's own (ours are short) and are not repeated.
    package static let longestEchoedKey = 32

    /// The dotted path of the field the error is about (`"body"` for the whole body). A key of
    /// the sender's own that is longer than `longestEchoedKey` bytes shows as `…`, so a
    /// refusal never repeats what was sent at length.
    package var fieldName: String {
        let path: [any CodingKey]
        switch self {
        case .keyNotFound(let key, let context): path = context.codingPath + [key]
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            path = context.codingPath
        @unknown default: path = []
        }
        let name = path.map { key in
            if let index = key.intValue { return String(index) }
            return key.stringValue.utf8.count <= Self.longestEchoedKey ? key.stringValue : "…"
        }.joined(separator: ".")
        return name.isEmpty ? "body" : name
    }

    package var humanMessage: String {
        let field = fieldName
        switch self {
        case .keyNotFound: return "\(field) is required"
        case .typeMismatch, .valueNotFound: return "\(field) has the wrong type"
        case .dataCorrupted: return field == "body" ? "the body is not valid JSON" : "\(field) is not valid"
        @unknown default: return "the body is not valid"
        }
    }
}
