import Foundation
import HMSSyncCore
import HMSTestSupport
import Testing

/// The replica is encrypted at rest (CONTRACT.md §9.1): PHI and tokens are not in its files,
/// every command still shows them, older replicas are sealed on first open, and a wrong key is
/// a clear error (exit 2, USAGE) that shows nothing.
@Suite("hms-sync replica encryption")
struct EncryptionTests {
    @Test("a patient's and a doctor's replicas hold no name, email, reason, notes or token in clear; commands show them")
    func nothingInClear() async throws {
        try await ServerProcess.with { server in
            let clinic = ClinicBuilder(rest: server.rest)
            let admin = try await clinic.admin()
            let soon = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 10).rounded(.up))
            let tomorrow = TestTime.day(1).addingTimeInterval(14 * 3600)
            let doctorAccount = try await clinic.addDoctor(
                "Dr Ravensworth", admin: admin, windows: [(soon, soon.addingTimeInterval(300), 5), (tomorrow, tomorrow.addingTimeInterval(3600), 30)])
            let patientAccount = try await clinic.addPatient("Octavia Pemberton-Vale")
            let reason = "numbness in the left hand since March"
            let diagnosis = "carpal tunnel syndrome, moderate"
            let treatment = "night splint for six weeks"
            let takenReason = "a second look at the wrist"
            let patient = try CLI(name: "patient"), doctor = try CLI(name: "doctor")

            try await patient.login(server, patientAccount).expectSuccess()
            try await patient.run(["sync", "--json"]).expectSuccess()
            let book = try await patient.run(["book", "--doctor", doctorAccount.id, "--start", iso(soon), "--reason", reason])
            book.expectSuccess()
            let id = book.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let outbox = try await patient.run(["outbox", "--json"])
            #expect((outbox.array.first?["args"] as? [String: Any])?["reason"] as? String == reason, "\(outbox)")
            // a second booking whose slot someone else takes first: a rejection with its args and message
            try await patient.run(["book", "--doctor", doctorAccount.id, "--start", iso(tomorrow), "--reason", takenReason])
                .expectSuccess()
            let other = try await clinic.addPatient("Someone Else")
            _ = try await server.rest.object(
                "POST", "/v1/appointments", ["doctorId": doctorAccount.id, "start": iso(tomorrow), "patientId": other.id],
                token: admin.accessToken, expect: 201)
            let pushed = try await patient.run(["sync", "--json"])
            #expect(pushed.object["applied"] as? Int == 1 && pushed.object["rejected"] as? Int == 1, "\(pushed)")
            try #require(Date() < soon, "the machine was too slow to book the slot before it started")

            try await doctor.login(server, doctorAccount).expectSuccess()
            try await doctor.run(["sync", "--json"]).expectSuccess()
            while Date() < soon.addingTimeInterval(1) { try await Task.sleep(nanoseconds: 100_000_000) }
            try await doctor.run(["complete", id, "--diagnosis", diagnosis, "--treatment", treatment]).expectSuccess()

            let doctorSession = try #require(try Replicas.open(doctor).session())
            let doctorSecrets = [patientAccount.name, reason, diagnosis, treatment, doctorSession.accessToken, doctorSession.refreshToken]
            #expect(Replicas.plaintext(of: doctorSecrets, in: doctor.replica).isEmpty,
                    "in clear in the doctor's replica before sync: \(Replicas.plaintext(of: doctorSecrets, in: doctor.replica))")
            try await doctor.run(["sync", "--json"]).expectSuccess()
            try await patient.run(["sync", "--json"]).expectSuccess()

            let patientSession = try #require(try Replicas.open(patient).session())
            let patientSecrets = [patientAccount.name, patientAccount.email, reason, diagnosis, treatment, takenReason,
                                  patientSession.accessToken, patientSession.refreshToken]
            #expect(Replicas.plaintext(of: patientSecrets, in: patient.replica).isEmpty,
                    "in clear in the patient's replica: \(Replicas.plaintext(of: patientSecrets, in: patient.replica))")
            #expect(Replicas.plaintext(of: doctorSecrets, in: doctor.replica).isEmpty,
                    "in clear in the doctor's replica: \(Replicas.plaintext(of: doctorSecrets, in: doctor.replica))")

            // every command still shows them
            let whoami = try await patient.run(["whoami", "--json"])
            #expect(whoami.object["name"] as? String == patientAccount.name && whoami.object["email"] as? String == patientAccount.email)
            #expect((try await patient.run(["status", "--json"]).object["user"] as? [String: Any])?["email"] as? String
                    == patientAccount.email)
            for cli in [patient, doctor] {
                let appointments = try await cli.run(["appointments", "--json"])
                let completed = try #require(appointments.array.first { $0["id"] as? String == id }, "\(appointments)")
                #expect(completed["reason"] as? String == reason && completed["diagnosis"] as? String == diagnosis)
                #expect(completed["treatment"] as? String == treatment)
                #expect((completed["patient"] as? [String: Any])?["name"] as? String == patientAccount.name)
                let text = try await cli.run(["appointments"])
                #expect(text.stdout.contains(patientAccount.name), "\(text)")
            }
            let rejections = try await patient.run(["rejections", "--json"])
            #expect((rejections.array.first?["args"] as? [String: Any])?["reason"] as? String == takenReason, "\(rejections)")
            #expect(rejections.array.first?["code"] as? String == "SLOT_TAKEN")
            let message = rejections.array.first?["message"] as? String
            #expect(message?.isEmpty == false, "\(rejections)")
        }
    }

    @Test("a replica written before encryption is sealed on first open and shows the same data")
    func oldReplicaIsMigrated() async throws {
        let cli = try CLI()
        let old = OldReplica()
        try old.write(to: cli.replica, slot: TestTime.day(1).addingTimeInterval(9 * 3600))
        #expect(Replicas.plaintext(of: old.secrets, in: cli.replica).count == old.secrets.count,
                "the old-format file holds every secret in clear")

        let whoami = try await cli.run(["whoami", "--json"])
        whoami.expectSuccess()
        #expect(whoami.object["name"] as? String == old.name && whoami.object["email"] as? String == old.email)
        #expect(Replicas.plaintext(of: old.secrets, in: cli.replica).isEmpty,
                "in clear after the first open: \(Replicas.plaintext(of: old.secrets, in: cli.replica))")

        let appointments = try await cli.run(["appointments", "--json"])
        appointments.expectSuccess()
        let byId = Dictionary(uniqueKeysWithValues: appointments.array.map { ($0["id"] as? String ?? "", $0) })
        #expect(byId.keys.sorted() == [old.appointmentId, old.pendingId].sorted(), "\(appointments)")
        #expect(byId[old.appointmentId]?["diagnosis"] as? String == old.diagnosis)
        #expect(byId[old.appointmentId]?["treatment"] as? String == old.treatment)
        #expect(byId[old.appointmentId]?["reason"] as? String == old.reason)
        #expect(byId[old.pendingId]?["reason"] as? String == old.pendingReason)
        #expect(byId[old.pendingId]?["pending"] as? Bool == true)
        let outbox = try await cli.run(["outbox", "--json"])
        #expect(outbox.array.map { $0["mutationId"] as? Int } == [2], "\(outbox)")
        let rejections = try await cli.run(["rejections", "--json"])
        #expect(rejections.array.first?["message"] as? String == old.rejectionMessage, "\(rejections)")
        #expect((rejections.array.first?["args"] as? [String: Any])?["reason"] as? String == old.rejectedReason)
        let status = try await cli.run(["status", "--json"])
        #expect(status.object["clientId"] as? String == old.clientId && status.object["pending"] as? Int == 1, "\(status)")
        #expect(try Replicas.open(cli).session()?.refreshToken == old.refreshToken)
        #expect(try await cli.run(["doctors", "--json"]).array.map { $0["name"] as? String } == ["Dr Penhaligon"])
        #expect(Replicas.plaintext(of: old.secrets, in: cli.replica).isEmpty)
    }

    @Test("a wrong or malformed HMS_REPLICA_KEY exits 2 saying so, shows nothing, and changes nothing")
    func wrongKey() async throws {
        let cli = try CLI()
        let old = OldReplica()
        try old.write(to: cli.replica, slot: TestTime.day(1).addingTimeInterval(9 * 3600))
        let right = String(repeating: "3c", count: 32)
        let wrong = Data(repeating: 0xA5, count: 32).base64EncodedString()
        try await cli.run(["whoami", "--json"], environment: ["HMS_REPLICA_KEY": right]).expectSuccess()
        #expect(!FileManager.default.fileExists(atPath: Replicas.keyFolder(cli)), "HMS_REPLICA_KEY given: no key file is made")

        for (key, words) in [(wrong, "does not open"), ("not-a-key", "64 hexadecimal digits")] {
            for command in [["appointments", "--json"], ["whoami"]] {
                let refused = try await cli.run(command, environment: ["HMS_REPLICA_KEY": key])
                refused.expectFailure(2, code: "USAGE")
                let said = refused.stdout + refused.stderr
                #expect(said.contains("HMS_REPLICA_KEY") && said.contains(words), "\(refused)")
                #expect(!said.contains(old.name) && !said.contains(key), "\(refused)")
            }
        }
        // no key in the environment and none in the key store: a clear error, and no new key
        let missing = try await cli.run(["appointments", "--json"])
        missing.expectFailure(2, code: "USAGE")
        let error = missing.object["error"] as? String
        #expect(error?.contains("HMS_REPLICA_KEY") == true && error?.contains("missing") == true, "\(missing)")
        #expect(!FileManager.default.fileExists(atPath: Replicas.keyFolder(cli)))

        let again = try await cli.run(["appointments", "--json"], environment: ["HMS_REPLICA_KEY": right.uppercased()])
        again.expectSuccess()
        #expect(again.array.contains { $0["diagnosis"] as? String == old.diagnosis }, "\(again)")
    }

    @Test("the key file is made once: 32 bytes, 0600, in a 0700 folder under XDG_DATA_HOME, never in the replica")
    func keyStore() async throws {
        let cli = try CLI()
        let dataHome = (cli.folder as NSString).appendingPathComponent("xdg-data")
        let environment = ["XDG_DATA_HOME": dataHome]
        try await cli.run(["status", "--json"], environment: environment).expectSuccess()
        let folder = (dataHome as NSString).appendingPathComponent("hms-sync/keys")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
        try #require(names.count == 1, "key files: \(names)")
        let file = (folder as NSString).appendingPathComponent(names[0])
        #expect(names[0].hasSuffix(".key") && UUID(uuidString: String(names[0].dropLast(4))) != nil, "\(names)")
        #expect(try Self.mode(file) == 0o600 && Self.mode(folder) == 0o700)
        let key = try #require(FileManager.default.contents(atPath: file))
        #expect(key.count == 32)

        try await cli.run(["status", "--json"], environment: environment).expectSuccess()
        #expect(FileManager.default.contents(atPath: file) == key, "the key is made once")
        for (path, data) in Replicas.files(cli.replica) {
            #expect(data.range(of: key) == nil, "the key's bytes are in \(path)")
        }
        #expect(!FileManager.default.fileExists(atPath: (cli.folder as NSString).appendingPathComponent(names[0])))

        // a key file others may read is refused, not used
        chmod(file, 0o644)
        let refused = try await cli.run(["status", "--json"], environment: environment)
        refused.expectFailure(2, code: "USAGE")
        #expect((refused.object["error"] as? String)?.contains("chmod 600") == true, "\(refused)")
    }

    static func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int ?? -1) & 0o777
    }
}
