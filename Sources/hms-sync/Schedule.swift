import ArgumentParser
import Foundation
import HMSSyncCore

struct Schedule: CLICommand {
    static let configuration = CommandConfiguration(
        abstract: "Doctors: open recurring hours, one window a day on the chosen weekdays (online).",
        discussion: """
            The hours are on the clinic's clock and keep across daylight-saving changes. Days whose window \
            would overlap one of yours are skipped and listed. Prints each new window (id, start, end); \
            run `sync` to see them in `slots`.
            """)
    @OptionGroup var common: CommonOptions
    @Option(help: "Weekdays, 1 (Monday) to 7 (Sunday), comma-separated, e.g. 1,2,3,4,5") var weekdays: String
    @Option(help: "Start of each day's window, HH:MM") var start: String
    @Option(help: "End of each day's window, HH:MM") var end: String
    @Option(help: "Slot length in minutes, 5 to 240") var slotMinutes: Int
    @Option(help: "First day, YYYY-MM-DD") var from: String
    @Option(help: "Last day, YYYY-MM-DD (included)") var until: String

    func execute() async throws {
        let days = weekdays.split(separator: ",", omittingEmptySubsequences: false)
            .map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !days.isEmpty, days.allSatisfy({ $0 != nil }) else {
            throw CLIFailure.usage("--weekdays must be numbers 1 to 7, comma-separated")
        }
        let request = ScheduleRequest(
            weekdays: days.compactMap { $0 }, startTime: start, endTime: end, slotMinutes: slotMinutes, from: from,
            until: until)
        // the server's own rule, so a malformed option is a usage error before any network
        do throws(DomainError) {
            _ = try WeeklySchedule(
                weekdays: request.weekdays, startTime: start, endTime: end, slotMinutes: slotMinutes, from: from,
                until: until)
        } catch {
            throw CLIFailure.usage(Self.option(for: error) + ": " + error.message)
        }
        let replica = try common.openReplica()
        _ = try requireSession(replica)
        let result = try await makeEngine(replica).addSchedule(request)
        if common.json { return Output.json(result) }
        for window in result.created {
            Output.line("\(window.id) \(Output.time(window.start)) \(Output.time(window.end))")
        }
        for day in result.skipped { Output.message("skipped \(day.date): \(day.code.rawValue)") }
        Output.message("\(result.created.count) windows created, \(result.skipped.count) days skipped")
    }

    /// The option a request field comes from.
    private static func option(for error: DomainError) -> String {
        guard case .string(let field) = error.details["field"] else { return "schedule" }
        return switch field {
        case "startTime": "--start"
        case "endTime": "--end"
        case "slotMinutes": "--slot-minutes"
        default: "--\(field)"
        }
    }
}
