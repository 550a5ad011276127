import Foundation
import HMSSyncCore
import Hummingbird

extension Response {
    /// A JSON answer in the contract's encoding (RFC 3339 times, whole seconds, `Z`).
    package static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try RFC3339.makeEncoder().encode(value)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    package static let noContent = Response(status: .noContent)
}
