import Foundation
import Testing
@testable import HMSSyncCore

/// New ids are version-4 UUIDs in lower case, as `UUID()` made them, and do not repeat.
@Suite struct RandomIDTests {
    @Test func idsAreLowerCaseVersionFourUUIDsAndDistinct() throws {
        let ids = (0..<2_000).map { _ in RandomID.make() }
        #expect(Set(ids).count == ids.count)
        let shape = try Regex("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
        for id in ids {
            #expect(id.wholeMatch(of: shape) != nil, "\(id)")
            #expect(UUID(uuidString: id) != nil)
        }
    }
}
