import Foundation
import HMSSyncCore

extension PostgresStore {
    /// Every slot starting inside `day`, marked free unless it has started by `now` or an active
    /// appointment holds it (`SlotRule.isFree`). Read on one snapshot, as SQLite reads it.
    func slots(doctorId: String, day: TimeRange, now: Date) async throws -> [Slot] {
        try await snapshot { tx in
            guard let doctor = try tx.user(id: doctorId), doctor.role == .doctor else {
                throw DomainError.notFound("doctor")
            }
            let windows = try tx.windows(doctorId: doctorId, overlapping: day)
            let busy = try tx.activeSpans(of: .doctor, id: doctorId, near: day)
            return windows.flatMap(\.slots)
                .filter { day.contains($0.start) }
                .map { slot in Slot(start: slot.start, end: slot.end, free: SlotRule.isFree(slot, busy: busy, now: now)) }
        }
    }
}
