import Foundation
import HMSSyncCore
import Hummingbird

extension Response {
    /// A JSON answer in the contract's encoding (RFC 3339 times, whole seconds, `Z`).
    package static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        json(bytes: try RFC3339.makeEncoder().encode(value), status: status)
    }

    /// A JSON answer whose bytes are already written.
    package static func json(bytes: some Sequence<UInt8>, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    package static let noContent = Response(status: .noContent)
}
