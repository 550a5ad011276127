import Foundation

/// Reading and rewriting the three parts of a JWT by hand, to forge the tokens the server must refuse.
enum JWTText {
    static func part(_ token: String, _ index: Int) throws -> [String: Any] {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        var base64 = parts[index].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64),
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { throw CocoaError(.coderReadCorrupt) }
        return object
    }

    static func encode(_ object: [String: Any]) throws -> String {
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The token with its payload replaced and its signature kept.
    static func withPayload(_ token: String, _ change: (inout [String: Any]) -> Void) throws -> String {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        var payload = try part(token, 1)
        change(&payload)
        return "\(parts[0]).\(try encode(payload)).\(parts[2])"
    }

    /// The token's claims under an `alg: none` header with no signature.
    static func unsigned(_ token: String) throws -> String {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        return "\(try encode(["alg": "none", "typ": "JWT"])).\(parts[1])."
    }
}
