import Foundation
import HMSTestSupport
import Testing

@Suite("hms-sync schedule: a doctor's weekly hours (CONTRACT §9.3)")
struct ScheduleCommandTests {
    static func options(weekdays: String = "1,2,3,4,5,6,7", start: String = "09:00", end: String = "12:00",
                        from: String = "2027-03-25", until: String = "2027-03-31") -> [String] {
        ["schedule", "--weekdays", weekdays, "--start", start, "--end", end, "--slot-minutes", "30", "--from", from,
         "--until", until]
    }

    @Test("a malformed schedule is a usage error, exit 2, before any network", arguments: [
        options(weekdays: "8"), options(weekdays: "mon"), options(weekdays: ""), options(start: "9"),
        options(end: "09:00"), options(from: "2027-04-01"), options(until: "2027-02-30"),
    ])
    func usage(arguments: [String]) async throws {
        try await CLI().run(arguments + ["--json"]).expectFailure(2, code: "USAGE")
    }

    @Test("a doctor's week over London's spring change: windows keep 09:00 local; a rerun skips every day; patients are refused")
    func weekOverTheChange() async throws {
        try await ServerProcess.with(arguments: ["--clinic-tz", "Europe/London"]) { server in
            let clinic = ClinicBuilder(rest: server.rest)
            let doctorAccount = try await clinic.addDoctor("Dr Sol", admin: try await clinic.admin())
            let patientAccount = try await clinic.addPatient("Pat")
            let doctor = try CLI(name: "doctor"), patient = try CLI(name: "patient")
            try await doctor.login(server, doctorAccount).expectSuccess()
            try await patient.login(server, patientAccount).expectSuccess()

            let created = try await doctor.run(Self.options() + ["--json"])
            created.expectSuccess()
            let windows = created.object["created"] as? [[String: Any]] ?? []
            #expect(windows.compactMap { $0["start"] as? String } == [
                "2027-03-25T09:00:00Z", "2027-03-26T09:00:00Z", "2027-03-27T09:00:00Z", "2027-03-28T08:00:00Z",
                "2027-03-29T08:00:00Z", "2027-03-30T08:00:00Z", "2027-03-31T08:00:00Z",
            ], "\(created)")
            #expect((created.object["skipped"] as? [Any])?.isEmpty == true)

            // after a sync the replica shows the change's day from 09:00 BST
            try await doctor.run(["sync", "--json"]).expectSuccess()
            let slots = try await doctor.run(["slots", doctorAccount.id, "--date", "2027-03-28", "--json"])
            #expect(slots.array.first?["start"] as? String == "2027-03-28T08:00:00Z" && slots.array.count == 6, "\(slots)")

            let again = try await doctor.run(Self.options())
            again.expectSuccess()
            #expect(again.stdout.isEmpty, "no window is new: \(again)")
            #expect(again.stderr.contains("skipped 2027-03-28: OVERLAPPING_AVAILABILITY"), "\(again)")

            try await patient.run(Self.options() + ["--json"]).expectFailure(1, code: "FORBIDDEN")
        }
    }
}
