import Foundation
import HMSSyncCore
import HMSTestSupport
import HTTPTypes
import NIOCore
import Testing

/// Random and mutated JSON from a seeded generator, so a failing case comes back on every run.
/// Long strings start with `needle`; no answer may repeat one.
private struct PushFuzzer {
    /// 40 bytes: longer than any key a refusal may name (32), so it can only appear by echo.
    static let needle = "ECHO-NEEDLE-0123456789abcdefghijklmnopq"

    var random: SplitMix64

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }
    mutating func chance(_ percent: Int) -> Bool { int(1...100) <= percent }
    mutating func pick<T>(_ values: [T]) -> T { values[int(0...values.count - 1)] }

    mutating func uuid() -> String {
        let hex = (0..<32).map { _ in String(int(0...15), radix: 16) }.joined()
        let parts = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4),
                     hex.dropFirst(20)]
        return parts.joined(separator: "-")
    }

    /// Strings of the kinds decoders and rules trip on.
    mutating func string() -> String {
        switch int(0...9) {
        case 0: return ""
        case 1: return uuid()
        case 2: return uuid().uppercased()
        case 3: return iso(TestTime.day(int(-3...30), hour: int(0...23), minute: pick([0, 15, 30, 59])))
        case 4: return pick(["book", "cancel", "complete", "BOOK", "reschedule", "book\u{0}", "c\u{301}ancel"])
        case 5: return pick(["1e999", "-0", "NaN", "2026-02-30T25:61:00Z", "null", "\u{FEFF}", "\u{202E}evil", "a\r\nb", "\t"])
        case 6: return Self.needle + String(repeating: pick(["x", "\u{E9}", "\u{1F600}", "e\u{301}"]), count: int(1...3_000))
        case 7:
            return String(String.UnicodeScalarView((0..<int(1...40)).compactMap { _ in
                Unicode.Scalar(UInt32(pick([int(0...0x7F), int(0x80...0x2FFF), int(0x1F000...0x1FAFF), int(0xE0000...0xE007F)])))
            }))
        default: return String(repeating: pick(["a", " ", "[", "{", "\"", "\\"]), count: int(1...20))
        }
    }

    /// Any JSON value, nested at most `depth` more levels.
    mutating func value(depth: Int) -> Any {
        switch int(0...(depth > 0 ? 9 : 6)) {
        case 0: return NSNull()
        case 1: return chance(50)
        case 2: return pick([0, 1, -1, 7, 500, 501, Int.max, Int.min])
        case 3: return pick([1.5, -0.0, 1e308, -1e308, 4.9e-324, 1e15, 1e16])
        case 4...6: return string()
        case 7: return (0..<int(0...4)).map { _ in value(depth: depth - 1) }
        default:
            var object: [String: Any] = [:]
            for _ in 0..<int(0...4) { object[pick(["id", "name", "args", "appointmentId", "reason", string()])] = value(depth: depth - 1) }
            return object
        }
    }

    /// A push body the server would accept, for `doctorId` and the booked `appointmentId`.
    mutating func validBody(doctorId: String, appointmentId: String, slots: [Date]) -> [String: Any] {
        let mutations: [[String: Any]] = (1...int(1...5)).map { id in
            let args: [String: Any]
            // one in five names is anything at all: unknown, empty, long, or carrying the needle
            let name = chance(20) ? string() : pick(["book", "cancel", "complete"])
            switch name {
            case "book":
                args = ["appointmentId": uuid(), "doctorId": doctorId, "start": iso(pick(slots)), "reason": string()]
            case "cancel": args = ["appointmentId": appointmentId, "reason": "moved"]
            default: args = ["appointmentId": appointmentId, "diagnosis": "flu", "treatment": "rest"]
            }
            return ["id": id, "name": name, "args": args, "clientTime": iso(Date())]
        }
        return ["clientId": uuid(), "schemaVersion": 1, "mutations": mutations]
    }

    /// The tree with a few nodes replaced, removed or added.
    mutating func mutate(_ node: Any, depth: Int = 0) -> Any {
        if chance(depth == 0 ? 5 : 12) { return value(depth: 3) }
        if var object = node as? [String: Any] {
            for key in object.keys.sorted() {
                if chance(8) { object[key] = nil } else { object[key] = mutate(object[key]!, depth: depth + 1) }
            }
            if chance(8) { object[pick(["id", "name", "args", "mutations", "clientId", string()])] = value(depth: 2) }
            return object
        }
        if let array = node as? [Any] {
            var mutated = array.map { mutate($0, depth: depth + 1) }
            if chance(10) { mutated.append(value(depth: 2)) }
            if chance(5) { mutated = Array(repeating: mutated.first ?? NSNull(), count: int(0...600)) }
            return mutated
        }
        return node
    }

    /// The bytes with a few flips, cuts and insertions of JSON punctuation and odd escapes.
    mutating func mutateBytes(_ data: Data) -> Data {
        var bytes = [UInt8](data)
        for _ in 0..<int(1...6) {
            let at = int(0...max(0, bytes.count - 1))
            switch int(0...6) {
            case 0 where !bytes.isEmpty: bytes[at] = UInt8(int(0...255))
            case 1 where !bytes.isEmpty: bytes.remove(at: at)
            case 2: bytes.insert(contentsOf: Array(pick(["[", "{", "]", "}", "\"", "\\", ",", ":", "\\u0000", "\\ud800", "1e999", "\u{FF}"]).utf8), at: at)
            case 3: bytes = Array(bytes.prefix(at))
            case 4: bytes.insert(contentsOf: Array(repeating: UInt8(ascii: pick(["[", "{"])), count: int(1...40)), at: at)
            case 5: bytes.insert(contentsOf: [0xC0, 0x80, 0xED, 0xA0, 0x80], at: at)
            default: bytes.insert(contentsOf: bytes[at..<min(bytes.count, at + int(1...30))], at: at)
            }
        }
        return Data(bytes)
    }
}

@Suite("Issue 8: the push decoder under random and mutated bodies (seeded, bounded)")
struct DecoderFuzzTests {
    static let iterations = 800

    @Test("random and mutated push bodies never get a 5xx, always the contract's error shape, never an echo",
          arguments: TestBackend.all)
    func pushBodies(backend: TestBackend) async throws {
        try await TestServer(backend).run { api in
            let practice = try await api.practice()
            let booked = try await api.bookOK(practice.patient.accessToken, doctorId: practice.doctor.id, start: practice.slot(0))
            let tokens = [practice.patient.accessToken, practice.doctor.accessToken, practice.admin]
            let slots = (0..<6).map { practice.slot($0) }
            var fuzzer = PushFuzzer(random: SplitMix64(seed: 0x8_15EC))
            var statuses: [Int: Int] = [:]
            var applied = 0
            var sentNeedles = 0
            for iteration in 0..<Self.iterations {
                let valid = fuzzer.validBody(doctorId: practice.doctor.id, appointmentId: booked.id, slots: slots)
                let body: Data
                switch fuzzer.int(0...9) {
                case 0: body = try JSONSerialization.data(withJSONObject: valid)
                case 1...5: body = try JSONSerialization.data(withJSONObject: fuzzer.mutate(valid), options: [.fragmentsAllowed])
                case 6...8: body = fuzzer.mutateBytes(try JSONSerialization.data(withJSONObject: valid))
                default: body = try JSONSerialization.data(withJSONObject: fuzzer.value(depth: 4), options: [.fragmentsAllowed])
                }
                if body.range(of: Data(PushFuzzer.needle.utf8)) != nil { sentNeedles += 1 }
                var headers = HTTPFields()
                headers[.authorization] = "Bearer \(fuzzer.pick(tokens))"
                headers[.contentType] = "application/json"
                let reply = try await api.send(.post, "/v1/sync/push", headers, ByteBuffer(bytes: body))
                let status = reply.status.code
                statuses[status, default: 0] += 1
                let what = "iteration \(iteration): \(status) \(reply.text.prefix(300))"
                #expect(status < 500, "\(what)")
                #expect(!reply.text.contains(PushFuzzer.needle), "\(what)")
                if status == 200 {
                    let response = try #require(try? reply.decode(PushResponse.self), "\(what)")
                    for result in response.results {
                        if result.status == .applied {
                            applied += 1
                        } else {
                            #expect(result.code.flatMap(ErrorCode.init(rawValue:)) != nil, "\(what)")
                            #expect(result.message?.isEmpty == false, "\(what)")
                        }
                    }
                } else {
                    let error = try #require(try? reply.decode(ErrorBody.self), "\(what)")
                    #expect(ErrorCode(rawValue: error.code)?.httpStatus == status, "\(what)")
                    #expect(!error.error.isEmpty, "\(what)")
                    #expect(Set(try reply.object().keys).isSubset(of: ["error", "code", "details"]), "\(what)")
                }
            }
            // the run reached the rules, not only the parser
            #expect(statuses[200, default: 0] > 0 && statuses[400, default: 0] > 0 && applied > 0, "\(statuses)")
            #expect(sentNeedles > Self.iterations / 10)
        }
    }
}
