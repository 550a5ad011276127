import Foundation
import HMSSyncCore
import HMSWebSupport
import Hummingbird

extension FHIRController {
    /// The longest span one Slot search covers; a page holds at most `_count` of its slots.
    static let longestSlotSearch: TimeInterval = 31 * 24 * 3600
    /// The span searched when `start` gives no end.
    static let defaultSlotSearch: TimeInterval = 7 * 24 * 3600

    /// `GET /fhir/R4/Slot?schedule=&start=`: the doctor's slots, day by day in the clinic's zone,
    /// free or busy by the rule `/v1/doctors/{id}/slots` uses. `schedule` is required; without a
    /// `start` lower bound the search begins now.
    @Sendable func slots(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireUser()
        let search = FHIRSearch(request: request, calendar: services.calendar)
        let count = try search.count()
        guard let reference = search.reference("schedule", type: "Schedule") else {
            throw DomainError.validation(field: "schedule", "schedule is required")
        }
        guard let doctorId = reference else {
            return try FHIRAnswer.resource(FHIRBundle.searchset([], request: request, nextCursor: nil))
        }
        let now = services.clock.now()
        let (from, to) = try search.range("start")
        var start = from ?? now
        let end = to ?? start.addingTimeInterval(Self.defaultSlotSearch)
        guard end.timeIntervalSince(start) <= Self.longestSlotSearch else {
            throw DomainError.validation(field: "start", "a Slot search covers at most 31 days")
        }
        if case .int(let after)? = try search.cursor()?.k { start = max(start, Date(epochSeconds: after + 1)) }
        var found: [Slot] = []
        var day = services.calendar.day(containing: start)
        while day.start < end && found.count <= count {
            do {
                found += try await services.store.slots(doctorId: doctorId, day: day, now: now)
                    .filter { $0.start >= start && $0.start < end }
            } catch let refusal as DomainError where refusal.code == .notFound {
                return try FHIRAnswer.resource(FHIRBundle.searchset([], request: request, nextCursor: nil))
            }
            day = services.calendar.day(containing: day.end)
        }
        let page = Array(found.prefix(count))
        let next = found.count > count ? page.last.map { ListCursor(key: .int($0.start.epochSeconds), id: doctorId).encoded } : nil
        return try FHIRAnswer.resource(FHIRBundle.searchset(
            page.map { FHIRMapping.slot(doctorId: doctorId, $0) }, request: request, nextCursor: next))
    }
}
