import Foundation
import HMSSyncCore
import Hummingbird

extension Request {
    /// Decodes the JSON body; a malformed body or a field of the wrong type is `VALIDATION`
    /// naming the field, a body over the context's limit is `PAYLOAD_TOO_LARGE`. An empty body
    /// reads as `{}` where `allowEmpty` (bodies whose fields are all optional).
    func decodeJSON<T: Decodable>(as type: T.Type, context: AppRequestContext, allowEmpty: Bool = false) async throws -> T {
        var buffer = try await body.collect(upTo: context.maxUploadSize)
        if allowEmpty && buffer.readableBytes == 0 {
            buffer = ByteBuffer(string: "{}")
        }
        do {
            return try context.requestDecoder.decode(T.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw DomainError.validation(field: error.fieldName, error.humanMessage)
        }
    }
}

extension DecodingError {
    /// The dotted path of the field the error is about (`""` for the whole body).
    var fieldName: String {
        let path: [any CodingKey]
        switch self {
        case .keyNotFound(let key, let context): path = context.codingPath + [key]
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            path = context.codingPath
        @unknown default: path = []
        }
        let name = path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        return name.isEmpty ? "body" : name
    }

    var humanMessage: String {
        let field = fieldName
        switch self {
        case .keyNotFound: return "\(field) is required"
        case .typeMismatch, .valueNotFound: return "\(field) has the wrong type"
        case .dataCorrupted: return field == "body" ? "the body is not valid JSON" : "\(field) is not valid"
        @unknown default: return "the body is not valid"
        }
    }
}
