import Foundation
import HMSSyncCore
import Testing

/// An instant relative to a 30-minute slot `10:00–10:30` with a 15-minute no-show grace.
enum Moment: String, CaseIterable, Sendable {
    case hourBefore, secondBeforeStart, atStart, duringSlot, atEnd, secondBeforeOverdue, atOverdue, dayAfter

    static let slot = TimeRange(start: Date(timeIntervalSince1970: 1_800_000_000),
                                end: Date(timeIntervalSince1970: 1_800_000_000 + 1_800))
    static let grace: TimeInterval = 900

    var date: Date {
        let start = Self.slot.start, end = Self.slot.end
        return switch self {
        case .hourBefore: start - 3_600
        case .secondBeforeStart: start - 1
        case .atStart: start
        case .duringSlot: start + 600
        case .atEnd: end
        case .secondBeforeOverdue: end + Self.grace - 1
        case .atOverdue: end + Self.grace
        case .dayAfter: end + 86_400
        }
    }
}

@Suite("Lifecycle: BOOKED → COMPLETED | CANCELLED | NO_SHOW")
struct LifecycleTests {
    /// What a booked appointment becomes on each event at each moment: a status or an error code.
    static let fromBooked: [(LifecycleEvent, Moment, String)] = [
        (.complete, .hourBefore, "TOO_EARLY"),
        (.complete, .secondBeforeStart, "TOO_EARLY"),
        (.complete, .atStart, "COMPLETED"),
        (.complete, .duringSlot, "COMPLETED"),
        (.complete, .atEnd, "COMPLETED"),
        (.complete, .atOverdue, "COMPLETED"),
        (.complete, .dayAfter, "COMPLETED"),
        (.cancel, .hourBefore, "CANCELLED"),
        (.cancel, .secondBeforeStart, "CANCELLED"),
        (.cancel, .atStart, "TOO_LATE"),
        (.cancel, .duringSlot, "TOO_LATE"),
        (.cancel, .atEnd, "TOO_LATE"),
        (.cancel, .dayAfter, "TOO_LATE"),
        (.markNoShow, .hourBefore, "TOO_EARLY"),
        (.markNoShow, .atStart, "TOO_EARLY"),
        (.markNoShow, .duringSlot, "TOO_EARLY"),
        (.markNoShow, .atEnd, "TOO_EARLY"),
        (.markNoShow, .secondBeforeOverdue, "TOO_EARLY"),
        (.markNoShow, .atOverdue, "NO_SHOW"),
        (.markNoShow, .dayAfter, "NO_SHOW"),
    ]

    @Test("a BOOKED appointment follows the time rules", arguments: fromBooked)
    func booked(event: LifecycleEvent, moment: Moment, expected: String) {
        let outcome: String
        do throws(DomainError) {
            outcome = try Lifecycle.next(
                from: .booked, on: event, slot: Moment.slot, now: moment.date, noShowGrace: Moment.grace
            ).rawValue
        } catch {
            outcome = error.code.rawValue
        }
        #expect(outcome == expected)
    }

    static let finalStates: [AppointmentStatus] = [.completed, .cancelled, .noShow]

    @Test("the later states are final: every event at every moment is INVALID_TRANSITION with from and to",
          arguments: finalStates, LifecycleEvent.allCases)
    func finalStatesStayFinal(status: AppointmentStatus, event: LifecycleEvent) {
        for moment in Moment.allCases {
            #expect(throws: DomainError(
                .invalidTransition, "an appointment that is \(status.rawValue) cannot become \(event.target.rawValue)",
                details: ["from": .string(status.rawValue), "to": .string(event.target.rawValue)])
            ) {
                try Lifecycle.next(from: status, on: event, slot: Moment.slot, now: moment.date, noShowGrace: Moment.grace)
            }
        }
    }

    @Test("every state × event pair is covered by one of the tables")
    func tableCoversEveryPair() {
        let booked = Set(Self.fromBooked.map(\.0))
        #expect(booked == Set(LifecycleEvent.allCases))
        #expect(Set(Self.finalStates + [.booked]) == Set(AppointmentStatus.allCases))
    }

    @Test("events lead to their target status",
          arguments: [(LifecycleEvent.complete, AppointmentStatus.completed), (.cancel, .cancelled), (.markNoShow, .noShow)])
    func targets(event: LifecycleEvent, status: AppointmentStatus) {
        #expect(event.target == status)
    }

    @Test("overdue means at or past end + grace",
          arguments: [(Moment.atEnd, false), (.secondBeforeOverdue, false), (.atOverdue, true), (.dayAfter, true)])
    func overdue(moment: Moment, expected: Bool) {
        #expect(Lifecycle.isOverdue(slot: Moment.slot, now: moment.date, grace: Moment.grace) == expected)
    }

    @Test("only BOOKED and COMPLETED are active",
          arguments: [(AppointmentStatus.booked, true), (.completed, true), (.cancelled, false), (.noShow, false)])
    func active(status: AppointmentStatus, expected: Bool) {
        #expect(status.isActive == expected)
    }
}
