import Foundation
import Testing
@testable import HMSSyncCore

/// Random and mutated pull pages from a seeded generator, so a failing case comes back on
/// every run.
private struct PageFuzzer {
    var random: SplitMix64

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }
    mutating func chance(_ percent: Int) -> Bool { int(1...100) <= percent }
    mutating func pick<T>(_ values: [T]) -> T { values[int(0...values.count - 1)] }

    mutating func id() -> String { pick(["d1", "p1", "a1", "w1", "x", ""]) + String(int(0...3)) }

    mutating func string() -> String {
        switch int(0...6) {
        case 0: return ""
        case 1: return pick(["2027-01-15T10:00:00Z", "2027-01-15T10:00:00.5+01:00", "9999-12-31T23:59:59Z", "0000-01-01T00:00:00Z",
                             "2027-13-45T99:99:99Z", "BOOKED", "CANCELLED", "put", "delete"])
        case 2: return pick(["appointment", "doctor", "patient", "availability", "busy", "penalty", "unknown", "APPOINTMENT"])
        case 3: return String(repeating: pick(["\u{0}", "\u{1F600}", "e\u{301}", "\"", "\\", "'); DROP TABLE server_rows; --"]),
                              count: int(1...50))
        default: return id()
        }
    }

    mutating func value(depth: Int) -> Any {
        switch int(0...(depth > 0 ? 8 : 5)) {
        case 0: return NSNull()
        case 1: return chance(50)
        case 2: return pick([0, -1, 1, Int.max, Int.min] as [Int])
        case 3: return pick([1.5, 1e308, -1e308, 9.2233720368547758e18, -0.0])
        case 4, 5: return string()
        case 6: return (0..<int(0...3)).map { _ in value(depth: depth - 1) }
        default:
            var object: [String: Any] = [:]
            for _ in 0..<int(0...4) { object[pick(["id", "entity", "op", "row", "start", string()])] = value(depth: depth - 1) }
            return object
        }
    }

    /// A page in the contract's shape, one change of each entity and a delete.
    func validPage() -> [String: Any] {
        let start = "2027-01-15T10:00:00Z"
        let end = "2027-01-15T10:30:00Z"
        let doctor: [String: Any] = ["id": "d1", "name": "Dr Quinn", "specialty": "cardiology", "blacklisted": false]
        let appointment: [String: Any] = [
            "id": "a1", "patientId": "p1", "doctorId": "d1", "start": start, "end": end, "status": "BOOKED",
            "reason": "check-up", "diagnosis": NSNull(), "treatment": NSNull(), "cancelReason": NSNull(),
            "createdAt": start, "updatedAt": start, "doctor": ["id": "d1", "name": "Dr Quinn", "specialty": "cardiology"],
            "patient": ["id": "p1", "name": "Pat"],
        ]
        let changes: [[String: Any]] = [
            ["entity": "doctor", "op": "put", "row": doctor],
            ["entity": "availability", "op": "put",
             "row": ["id": "w1", "doctorId": "d1", "start": start, "end": "2027-01-15T12:00:00Z", "slotMinutes": 30]],
            ["entity": "appointment", "op": "put", "row": appointment],
            ["entity": "busy", "op": "put", "row": ["id": "b1", "doctorId": "d1", "start": end, "end": "2027-01-15T11:00:00Z"]],
            ["entity": "patient", "op": "put", "row": ["id": "p1", "name": "Pat", "email": "pat@example.com", "role": "patient"]],
            ["entity": "penalty", "op": "put", "row": ["id": "n1", "patientId": "p1", "appointmentId": "a0", "doctorId": "d1",
                                                       "reason": "NO_SHOW", "createdAt": start]],
            ["entity": "busy", "op": "delete", "id": "b0"],
        ]
        return ["cursor": "c1", "hasMore": false, "lastMutationId": 0, "reset": false, "changes": changes]
    }

    mutating func mutate(_ node: Any, depth: Int = 0) -> Any {
        if chance(depth == 0 ? 3 : 10) { return value(depth: 3) }
        if var object = node as? [String: Any] {
            for key in object.keys.sorted() {
                if chance(8) { object[key] = nil } else { object[key] = mutate(object[key]!, depth: depth + 1) }
            }
            if chance(8) { object[pick(["id", "op", "row", "entity", "cursor", "hasMore", string()])] = value(depth: 2) }
            return object
        }
        if let array = node as? [Any] {
            var mutated = array.map { mutate($0, depth: depth + 1) }
            if chance(10) { mutated.append(value(depth: 2)) }
            return mutated
        }
        return node
    }

    mutating func mutateBytes(_ data: Data) -> Data {
        var bytes = [UInt8](data)
        for _ in 0..<int(1...6) {
            let at = int(0...max(0, bytes.count - 1))
            switch int(0...5) {
            case 0 where !bytes.isEmpty: bytes[at] = UInt8(int(0...255))
            case 1 where !bytes.isEmpty: bytes.remove(at: at)
            case 2: bytes.insert(contentsOf: Array(pick(["[", "{", "]", "}", "\"", "\\", "\\u0000", "\\ud800", "1e999", "-"]).utf8), at: at)
            case 3: bytes = Array(bytes.prefix(at))
            case 4: bytes.insert(contentsOf: Array(repeating: UInt8(ascii: pick(["[", "{"])), count: int(1...100_000)), at: at)
            default: bytes.insert(contentsOf: [0xC0, 0x80, 0xED, 0xA0, 0x80, 0xFF], at: at)
            }
        }
        return Data(bytes)
    }
}

@Suite("Issue 8: the replica's pull decoder under random and mutated pages (seeded, bounded)")
struct PullDecoderFuzzTests {
    static let iterations = 1_000

    @Test("random and mutated pull pages never crash the replica: each is stored or refused with a DomainError")
    func pages() throws {
        let folder = (NSTemporaryDirectory() as NSString).appendingPathComponent("hms-fuzz-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let replica = try Replica(path: (folder as NSString).appendingPathComponent("replica.sqlite"), key: .random())
        let user = User(id: "p1", name: "Pat", email: "pat@example.com", role: .patient)
        try replica.signIn(server: "http://127.0.0.1:1", pair: TokenPair(accessToken: "a", refreshToken: "r", expiresIn: 900, user: user),
                           clinicTimeZone: "UTC")

        var fuzzer = PageFuzzer(random: SplitMix64(seed: 0x9_11C0DE))
        let valid = try JSONSerialization.data(withJSONObject: fuzzer.validPage())
        let first = try replica.store(pageJSON: valid, now: Date())
        #expect(first.changes == 7 && !first.hasMore)
        #expect(try replica.appointments().map(\.appointment.id) == ["a1"])

        var stored = 0
        var refused = 0
        for iteration in 0..<Self.iterations {
            let page: Data
            switch fuzzer.int(0...9) {
            case 0...5: page = try JSONSerialization.data(withJSONObject: fuzzer.mutate(fuzzer.validPage()), options: [.fragmentsAllowed])
            case 6...8: page = fuzzer.mutateBytes(valid)
            default: page = try JSONSerialization.data(withJSONObject: fuzzer.value(depth: 4), options: [.fragmentsAllowed])
            }
            do {
                _ = try replica.store(pageJSON: page, now: Date())
                stored += 1
            } catch is DomainError {
                refused += 1
            } catch {
                Issue.record("iteration \(iteration): an untyped \(type(of: error)) for \(String(decoding: page.prefix(200), as: UTF8.self))")
            }
            // whatever was stored, reading the local view must not crash (a bad row may refuse)
            _ = try? replica.appointments()
            _ = try? replica.doctors()
            _ = try replica.status()
        }
        #expect(stored > 0 && refused > 0, "stored \(stored), refused \(refused)")
    }
}
