import Foundation
import HMSSyncCore
import HMSSyncCurl
import HMSTestSupport
import Testing

/// `hms-sync serve` (CONTRACT.md §9.7) as a browser meets it: the real binary on a replica
/// signed in to a real `hms-server`.
@Suite("hms-sync serve", .serialized)
struct ServeTests {
    /// A server with a doctor (tomorrow-but-one, 09:00, eight 30-minute slots) and a patient
    /// signed in on a laptop's replica, synced.
    struct Laptop {
        let server: ServerProcess
        let cli: CLI
        let patient: Account
        let doctor: Account
        let nine: Date

        func slot(_ index: Int) -> Date { nine.addingTimeInterval(TimeInterval(index * 1800)) }
    }

    static func laptop(_ server: ServerProcess) async throws -> Laptop {
        let clinic = ClinicBuilder(rest: server.rest)
        let admin = try await clinic.admin()
        let nine = TestTime.day(2).addingTimeInterval(9 * 3600)
        let doctor = try await clinic.addDoctor(
            "Dr Serve", admin: admin, specialty: "Cardiology", windows: [(nine, nine.addingTimeInterval(4 * 3600), 30)])
        let patient = try await clinic.addPatient("Pat Serve")
        let cli = try CLI()
        try await cli.login(server, patient).expectSuccess()
        try await cli.run(["sync", "--json"]).expectSuccess()
        return Laptop(server: server, cli: cli, patient: patient, doctor: doctor, nine: nine)
    }

    @Test("the printed address, 401 without the secret, 421 for a foreign Host, the cookie's flags, the server's CSP")
    func security() async throws {
        try await ServerProcess.with { server in
            let laptop = try await Self.laptop(server)
            let serve = try await ServeProcess(laptop.cli)
            #expect(serve.url.wholeMatch(of: /http:\/\/127\.0\.0\.1:\d+\/app\/\?token=[0-9a-f]{64}/) != nil, "\(serve.url)")
            #expect(serve.child.stdout == serve.url + "\n", "exactly one line on stdout")

            for path in ["/v1/me", "/app/", "/v1/local/status", "/v1/no-such-route"] {
                let bare = try await serve.send("GET", path, cookie: false)
                #expect(bare.status == 401 && bare.body.contains("UNAUTHENTICATED"), "\(path) without the secret: \(bare.status)")
                #expect(bare.headers["cache-control"] == "no-store")
            }
            let wrong = try await serve.send("GET", "/v1/me?token=\(String(repeating: "0", count: 64))", cookie: false)
            #expect(wrong.status == 401)

            for host in ["evil.example:\(serve.port)", "127.0.0.1:1", "localhost", "192.168.1.5:\(serve.port)"] {
                let foreign = try await serve.send("GET", "/v1/me", host: host)
                #expect(foreign.status == 421, "Host \(host): \(foreign.status)")
            }
            #expect(try await serve.send("GET", "/v1/me", host: "localhost:\(serve.port)").status == 200)

            // the first visit trades the token for the cookie, and leaves the address without it
            let first = try await serve.send("GET", "/app/?token=\(serve.secret)", cookie: false)
            #expect(first.status == 303 && first.headers["location"] == "/app/")
            let setCookie = try #require(first.headers["set-cookie"])
            let attributes = Set(setCookie.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
            #expect(setCookie.hasPrefix(serve.cookie + ";"))
            #expect(attributes.contains("httponly") && attributes.contains("samesite=strict") && attributes.contains("path=/"))
            #expect(!attributes.contains("secure"), "loopback is plain HTTP: \(setCookie)")

            let page = try await serve.send("GET", "/app/")
            let central = try await server.rest.transport.send(TransportRequest(method: "GET", url: server.url + "/app/"))
            #expect(page.status == 200 && page.headers["content-type"]?.hasPrefix("text/html") == true)
            #expect(page.headers["content-security-policy"] != nil)
            #expect(page.headers["content-security-policy"] == central.headers["content-security-policy"])
            #expect(page.headers["cache-control"] == "no-store" && page.body == central.body)
            #expect(!serve.child.stderr.contains(serve.secret), "the secret is never logged")
            #expect(await serve.stop().status == 0)
        }
    }

    @Test("answers in the server's shapes, with pending; writes are recorded intents; local refusals keep the server's code")
    func shapes() async throws {
        try await ServerProcess.with { server in
            let laptop = try await Self.laptop(server)
            let serve = try await ServeProcess(laptop.cli, interval: 60)

            let me = try await serve.send("GET", "/v1/me")
            Shape.check(ServeProcess.object(me), Shape.user, "me")
            #expect(ServeProcess.object(me)["id"] as? String == laptop.patient.id)
            let clinic = ServeProcess.object(try await serve.send("GET", "/v1/clinic"))
            #expect(clinic["local"] as? Bool == true && clinic["timeZone"] as? String == "UTC" && clinic["name"] is String)

            let doctors = ServeProcess.object(try await serve.send("GET", "/v1/doctors?specialty=cardiology&limit=200"))
            Shape.checkAll(doctors["items"] as? [[String: Any]] ?? [], Shape.doctor, "doctors")
            #expect((doctors["items"] as? [[String: Any]])?.map { $0["id"] as? String } == [laptop.doctor.id])
            #expect(doctors.keys.contains("nextCursor"))
            let day = TestTime.dateString(laptop.nine)
            let slots = ServeProcess.object(try await serve.send("GET", "/v1/doctors/\(laptop.doctor.id)/slots?date=\(day)"))
            Shape.checkAll(slots["items"] as? [[String: Any]] ?? [], Shape.slot, "slots")
            #expect((slots["items"] as? [Any])?.count == 8)
            #expect(try await serve.send("GET", "/v1/doctors/\(laptop.doctor.id)/slots").status == 400)
            #expect(try await serve.send("GET", "/v1/doctors/\(UUID().uuidString)/slots?date=\(day)").status == 404)

            // stop the central server: everything below is offline
            await server.stop()
            let booked = try await serve.book(doctorId: laptop.doctor.id, start: laptop.slot(0))
            #expect(booked.status == 201, "\(String(decoding: booked.body, as: UTF8.self))")
            let appointment = ServeProcess.object(booked)
            Shape.check(appointment, Shape.localAppointment, "booked")
            #expect(appointment["pending"] as? Bool == true && appointment["status"] as? String == "BOOKED")
            let id = try #require(appointment["id"] as? String)
            #expect(try await serve.book(doctorId: laptop.doctor.id, start: laptop.slot(0), id: id).status == 200, "a re-send")

            let one = try await serve.send("GET", "/v1/appointments/\(id)")
            Shape.check(ServeProcess.object(one), Shape.localAppointment, "appointment")
            #expect(try await serve.send("GET", "/v1/appointments/\(UUID().uuidString.lowercased())").status == 404)
            let list = ServeProcess.object(try await serve.send("GET", "/v1/appointments?status=BOOKED&date=\(day)"))
            Shape.checkAll(list["items"] as? [[String: Any]] ?? [], Shape.localAppointment, "appointments")
            #expect((list["items"] as? [[String: Any]])?.map { $0["id"] as? String } == [id])
            #expect((ServeProcess.object(try await serve.send("GET", "/v1/appointments?status=CANCELLED"))["items"] as? [Any])?.isEmpty == true)
            #expect(try await serve.send("GET", "/v1/appointments?status=SOON").status == 400)

            // a local refusal: the server's code, status and details
            let taken = try await serve.book(doctorId: laptop.doctor.id, start: laptop.slot(0))
            #expect(taken.status == 409)
            let refusal = ServeProcess.object(taken)
            Shape.check(refusal, Shape.errorWithDetails, "refusal")
            #expect(refusal["code"] as? String == "SLOT_TAKEN")
            let offered = ((refusal["details"] as? [String: Any])?["alternatives"] as? [[String: Any]]) ?? []
            #expect(offered.first?["start"] as? String == iso(laptop.slot(1)), "\(refusal)")
            let forbidden = try await serve.send("POST", "/v1/appointments/\(id)/complete", json: #"{"diagnosis":"x","treatment":"y"}"#)
            #expect(forbidden.status == 403 && ServeProcess.object(forbidden)["code"] as? String == "FORBIDDEN")
            let badText = try await serve.send("POST", "/v1/appointments/\(id)/cancel", json: "{\"reason\":\"a\\u0007b\"}")
            #expect(badText.status == 400 && ServeProcess.object(badText)["code"] as? String == "VALIDATION")
            let big = try await serve.send("POST", "/v1/appointments", json: "{\"reason\":\"\(String(repeating: "x", count: 1 << 21))\"}")
            #expect(big.status == 413 && ServeProcess.object(big)["code"] as? String == "PAYLOAD_TOO_LARGE")
            let unknown = try await serve.send("GET", "/v1/admin/audit")
            #expect(unknown.status == 404 && ServeProcess.object(unknown)["code"] as? String == "NOT_FOUND")

            let moved = try await serve.send("POST", "/v1/appointments/\(id)/reschedule", json: #"{"start":"\#(iso(laptop.slot(2)))"}"#)
            #expect(moved.status == 201 && ServeProcess.object(moved)["start"] as? String == iso(laptop.slot(2)))
            let newId = try #require(ServeProcess.object(moved)["id"] as? String)
            let cancelled = try await serve.send("POST", "/v1/appointments/\(newId)/cancel", json: "{}")
            #expect(cancelled.status == 200 && ServeProcess.object(cancelled)["status"] as? String == "CANCELLED")
            #expect(ServeProcess.object(cancelled)["pending"] as? Bool == true)

            // the sync state, offline
            let status = try await serve.send("GET", "/v1/local/status")
            let cliStatus = try await laptop.cli.run(["status", "--json"])
            #expect(Set(ServeProcess.object(status).keys) == Set(cliStatus.object.keys).union(["online"]))
            // the sync each write woke gives up 2 s after the server stopped answering
            #expect(try await eventually(within: .seconds(20)) {
                ServeProcess.object(try await serve.send("GET", "/v1/local/status"))["online"] as? Bool == false
            }, "offline once a sync failed")
            #expect(ServeProcess.object(status)["pending"] as? Int == 4)  // book, its re-send, reschedule, cancel
            let offline = try await serve.send("POST", "/v1/local/sync")
            #expect(offline.status == 503 && ServeProcess.object(offline)["code"] as? String == "UNREACHABLE")

            // back online: a sync now pushes, and the marks go
            try await server.start()
            let synced = try await serve.send("POST", "/v1/local/sync")
            #expect(synced.status == 200, "\(String(decoding: synced.body, as: UTF8.self))")
            Shape.check(ServeProcess.object(synced), Shape.syncReport, "sync")
            #expect(ServeProcess.object(synced)["pending"] as? Int == 0)
            let after = ServeProcess.object(try await serve.send("GET", "/v1/appointments"))["items"] as? [[String: Any]] ?? []
            #expect(after.count == 2 && after.allSatisfy { $0["pending"] as? Bool == false })
            #expect(ServeProcess.object(try await serve.send("GET", "/v1/local/status"))["online"] as? Bool == true)
            let rejections = try await serve.send("GET", "/v1/local/rejections")
            #expect(rejections.status == 200 && ServeProcess.array(rejections).isEmpty)
            #expect(await serve.stop().status == 0)
        }
    }

    @Test("an admin's laptop: booking for a patient, the list's filters, and paging by cursor")
    func adminLaptop() async throws {
        try await ServerProcess.with { server in
            let laptop = try await Self.laptop(server)
            let clinic = ClinicBuilder(rest: server.rest)
            let admin = try await clinic.admin()
            let other = try await clinic.addPatient("Other Patient")
            let cli = try CLI(name: "admin")
            try await cli.login(server, admin).expectSuccess()
            try await cli.run(["sync", "--json"]).expectSuccess()
            let serve = try await ServeProcess(cli, interval: 60)
            var ids: [String] = []
            for (index, patient) in [laptop.patient, other, laptop.patient].enumerated() {
                let body = #"{"doctorId":"\#(laptop.doctor.id)","start":"\#(iso(laptop.slot(index)))","patientId":"\#(patient.id)"}"#
                let booked = try await serve.send("POST", "/v1/appointments", json: body)
                #expect(booked.status == 201, "\(String(decoding: booked.body, as: UTF8.self))")
                #expect(ServeProcess.object(booked)["patientId"] as? String == patient.id)
                ids.append(ServeProcess.object(booked)["id"] as? String ?? "")
            }
            let noPatient = try await serve.book(doctorId: laptop.doctor.id, start: laptop.slot(4))
            #expect(ServeProcess.object(noPatient)["code"] as? String == "VALIDATION", "an admin must name the patient")

            let mine = ServeProcess.object(try await serve.send("GET", "/v1/appointments?patientId=\(laptop.patient.id)"))
            #expect((mine["items"] as? [[String: Any]])?.map { $0["id"] as? String } == [ids[0], ids[2]], "by start ascending")
            let none = ServeProcess.object(try await serve.send("GET", "/v1/appointments?doctorId=\(UUID().uuidString)"))
            #expect((none["items"] as? [Any])?.isEmpty == true)

            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = ServeProcess.object(
                    try await serve.send("GET", "/v1/appointments?limit=2" + (cursor.map { "&cursor=\($0)" } ?? "")))
                seen += (page["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                cursor = page["nextCursor"] as? String
            } while cursor != nil && seen.count < 10
            #expect(seen == ids, "three bookings in pages of two")
            #expect(try await serve.send("GET", "/v1/appointments?cursor=nonsense").status == 400)
            #expect(try await serve.send("GET", "/v1/appointments?limit=many").status == 400)
            await serve.stop()
        }
    }

    @Test("a booking another laptop took first comes back as a rejection with its reason and alternatives")
    func rejection() async throws {
        try await ServerProcess.with { server in
            let laptop = try await Self.laptop(server)
            let other = try await ClinicBuilder(rest: server.rest).addPatient("Other")
            let otherCLI = try CLI()
            try await otherCLI.login(server, other).expectSuccess()
            let serve = try await ServeProcess(laptop.cli, interval: 60)
            #expect(try await eventually(within: .seconds(30)) {
                ServeProcess.object(try await serve.send("GET", "/v1/local/status"))["online"] as? Bool == true
            }, "serve's first sync")
            // the other laptop books and syncs first; this one has not pulled that yet (the next
            // timed sync is a minute away), so its view still shows the slot free
            try await otherCLI.run(["sync", "--json"]).expectSuccess()
            try await otherCLI.run(["book", "--doctor", laptop.doctor.id, "--start", iso(laptop.slot(3))]).expectSuccess()
            try await otherCLI.run(["sync", "--json"]).expectSuccess()
            #expect(try await serve.book(doctorId: laptop.doctor.id, start: laptop.slot(3)).status == 201)
            // the booking woke the sync, which pushed it and took the refusal
            #expect(try await eventually(within: .seconds(30)) {
                ServeProcess.object(try await serve.send("GET", "/v1/local/status"))["rejections"] as? Int == 1
            }, "the rejection")
            let rejections = ServeProcess.array(try await serve.send("GET", "/v1/local/rejections"))
            Shape.checkAll(rejections, Shape.rejection, "rejections")
            #expect(rejections.first?["code"] as? String == "SLOT_TAKEN")
            #expect((rejections.first?["alternatives"] as? [Any])?.isEmpty == false)
            let shown = ServeProcess.object(try await serve.send("GET", "/v1/appointments"))["items"] as? [Any]
            #expect(shown?.isEmpty == true, "the refused booking leaves the view")
            await serve.stop()
        }
    }

    @Test("the background sync keeps going across network loss and pushes by itself when the server is back")
    func networkLoss() async throws {
        try await ServerProcess.with { server in
            let laptop = try await Self.laptop(server)
            let serve = try await ServeProcess(laptop.cli, interval: 2)
            await server.stop()
            #expect(try await serve.book(doctorId: laptop.doctor.id, start: laptop.slot(5)).status == 201)
            // several failed syncs (each gives up after 2 s), then the server comes back
            try await Task.sleep(for: .seconds(5))
            let offline = ServeProcess.object(try await serve.send("GET", "/v1/local/status"))
            #expect(offline["online"] as? Bool == false && offline["pending"] as? Int == 1, "\(offline)")
            try await server.start()
            #expect(try await eventually(within: .seconds(20)) {
                let status = ServeProcess.object(try await serve.send("GET", "/v1/local/status"))
                return status["online"] as? Bool == true && status["pending"] as? Int == 0
            }, "synced by itself once the server answered")
            let onServer = try await ClinicBuilder(rest: server.rest).appointments(as: laptop.patient)
            #expect(onServer.map(\.start) == [laptop.slot(5)])
            #expect(serve.child.isRunning)
            await serve.stop()
        }
    }

    @Test("kill -9 of serve right after it recorded intents, mid-sync: none is lost")
    func killNine() async throws {
        try await ServerProcess.with { server in
            let laptop = try await Self.laptop(server)
            // a day of 5-minute slots, so each round can record many bookings
            let dayStart = TestTime.day(3)
            let doctor = try await ClinicBuilder(rest: server.rest).addDoctor(
                "Dr Kill", admin: try await ClinicBuilder(rest: server.rest).admin(),
                windows: [(dayStart, dayStart.addingTimeInterval(86_400), 5)])
            try await laptop.cli.run(["sync", "--json"]).expectSuccess()
            var random = SplitMix64(seed: 0x5E7E)
            var booked: [String] = []
            var slot = 0
            var killedWhilePending = 0
            for round in 0..<10 {
                let serve = try await ServeProcess(laptop.cli, interval: 1)
                for _ in 0..<Int.random(in: 3...15, using: &random) {
                    let answer = try await serve.book(doctorId: doctor.id, start: dayStart.addingTimeInterval(Double(slot) * 300))
                    #expect(answer.status == 201, "round \(round): \(String(decoding: answer.body, as: UTF8.self))")
                    if let id = ServeProcess.object(answer)["id"] as? String { booked.append(id) }
                    slot += 1
                }
                // each booking woke the sync: killed within 0-8 ms, it is mostly mid-push or mid-pull
                try await Task.sleep(for: .milliseconds(Int.random(in: 0...8, using: &random)))
                #expect(await serve.stop(SIGKILL).reason == .uncaughtSignal)
                let view = try await laptop.cli.run(["appointments", "--json"])
                let shown = Set(view.array.compactMap { $0["id"] as? String })
                #expect(Set(booked).isSubset(of: shown), "round \(round): lost \(Set(booked).subtracting(shown))")
                if try await !laptop.cli.run(["outbox", "--json"]).array.isEmpty { killedWhilePending += 1 }
            }
            #expect(killedWhilePending > 0, "no kill came while intents were still pending")
            print("serve kill -9: \(booked.count) bookings over 10 kills, \(killedWhilePending) with intents still pending")
            // a last serve pushes what is left; the server has every booking once
            let serve = try await ServeProcess(laptop.cli, interval: 1)
            let report = ServeProcess.object(try await serve.send("POST", "/v1/local/sync"))
            #expect(report["pending"] as? Int == 0, "\(report)")
            await serve.stop()
            let onServer = try await ClinicBuilder(rest: server.rest).appointments(as: laptop.patient)
            #expect(onServer.map(\.id).sorted() == booked.sorted())
            #expect(try await laptop.cli.run(["rejections", "--json"]).array.isEmpty)
        }
    }
}

extension Data {
    fileprivate func contains(_ text: String) -> Bool { String(decoding: self, as: UTF8.self).contains(text) }
}
