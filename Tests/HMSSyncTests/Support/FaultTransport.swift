import Foundation
import HMSSyncCore
import HMSSyncCurl

/// What the network does to one request.
enum Fault: Sendable, Equatable {
    /// Delivered and answered.
    case none
    /// Never reaches the server.
    case dropRequest
    /// Reaches the server, which handles it, but the answer is lost.
    case dropResponse
    /// Delivered after a pause.
    case delay(TimeInterval)
}

/// A transport between a device and the server that loses requests or answers on purpose:
/// one-shot faults for requests that match, a seeded random plan, or a dead network.
final class FaultTransport: HTTPTransport, @unchecked Sendable {
    // @unchecked: every mutable field is read and written under `lock` only.
    private let base: any HTTPTransport
    private let lock = NSLock()
    private var oneShots: [(matches: @Sendable (TransportRequest) -> Bool, fault: Fault)] = []
    private var plan: ((inout SplitMix64) -> Fault)?
    private var generator = SplitMix64(seed: 0)
    private var offline: (@Sendable (TransportRequest) -> Bool)?
    private var counts: [String: Int] = [:]

    init(base: any HTTPTransport = CurlTransport(connectTimeout: 5, totalTimeout: 30)) {
        self.base = base
    }

    /// The next request that `matches` meets `fault`, once.
    func once(_ fault: Fault, when matches: @escaping @Sendable (TransportRequest) -> Bool) {
        lock.withLock { oneShots.append((matches, fault)) }
    }

    /// Every request meets a fault drawn from `plan` with a generator seeded by `seed`.
    func randomly(seed: UInt64, _ plan: @escaping (inout SplitMix64) -> Fault) {
        lock.withLock {
            generator = SplitMix64(seed: seed)
            self.plan = plan
        }
    }

    /// Stops random faults (one-shots stay).
    func calm() { lock.withLock { plan = nil } }

    /// While offline, no request reaches the server (or none that `matches`, when given).
    func setOffline(_ value: Bool, when matches: @escaping @Sendable (TransportRequest) -> Bool = { _ in true }) {
        lock.withLock { offline = value ? matches : nil }
    }

    /// How many requests met each kind of fault.
    func count(_ kind: String) -> Int { lock.withLock { counts[kind, default: 0] } }

    private func fault(for request: TransportRequest) -> Fault {
        lock.withLock {
            if let offline, offline(request) { return .dropRequest }
            if let index = oneShots.firstIndex(where: { $0.matches(request) }) {
                return oneShots.remove(at: index).fault
            }
            guard let plan else { return .none }
            return plan(&generator)
        }
    }

    private func note(_ kind: String) { lock.withLock { counts[kind, default: 0] += 1 } }

    func send(_ request: TransportRequest) async throws -> TransportResponse {
        switch fault(for: request) {
        case .none:
            note("sent")
            return try await base.send(request)
        case .dropRequest:
            note("droppedRequest")
            throw TransportError("injected: the request was lost")
        case .dropResponse:
            note("droppedResponse")
            _ = try await base.send(request)
            throw TransportError("injected: the answer was lost")
        case .delay(let seconds):
            note("delayed")
            try await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
            return try await base.send(request)
        }
    }
}

extension TransportRequest {
    var isPush: Bool { method == "POST" && url.contains("/v1/sync/push") }
    var isPull: Bool { method == "GET" && url.contains("/v1/sync/pull") }
}

extension SplitMix64 {
    /// A UUID drawn from the generator, lowercased as the contract writes ids.
    mutating func uuid() -> String {
        let a = next()
        let b = next()
        let bytes = (0..<8).map { UInt8(truncatingIfNeeded: a >> ($0 * 8)) } + (0..<8).map { UInt8(truncatingIfNeeded: b >> ($0 * 8)) }
        var raw = bytes
        raw[6] = (raw[6] & 0x0F) | 0x40
        raw[8] = (raw[8] & 0x3F) | 0x80
        return UUID(uuid: (raw[0], raw[1], raw[2], raw[3], raw[4], raw[5], raw[6], raw[7],
                           raw[8], raw[9], raw[10], raw[11], raw[12], raw[13], raw[14], raw[15])).uuidString.lowercased()
    }
}
