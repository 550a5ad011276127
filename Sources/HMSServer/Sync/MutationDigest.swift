import Crypto
import Foundation
import HMSSyncCore

/// The stored fingerprint of a mutation's name and args: a retry must match it.
enum MutationDigest {
    static func of(_ mutation: Mutation) -> String {
        let canonical = (try? RFC3339.makeEncoder().encode(JSONValue.object(["name": .string(mutation.name), "args": mutation.args])))
            ?? Data()
        return SHA256.hash(data: canonical).hex
    }
}
