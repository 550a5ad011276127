import Foundation
import HMSSyncCore
import HMSTestSupport
import Testing

/// One row of the contract every `HTTPTransport` keeps: whom it talks to, how, and what must come of it.
struct TransportCase: Sendable, CustomTestStringConvertible {
    /// Who answers.
    enum Peer: Sendable {
        /// The real hms-server on a loopback socket: `POST /v1/auth/login` as its admin, with this password.
        case login(password: String)
        /// The real hms-server: a request without a body.
        case server(method: String, path: String)
        /// A loopback peer playing a script (`ScriptedPeer`).
        case scripted(ScriptedPeer.Script)
        /// No one: the URL itself is refused.
        case url(String)
    }

    /// What each request must come to.
    enum Outcome: Sendable {
        /// An answer with this status whose body contains this text.
        case answer(status: Int, containing: String)
        /// A `TransportError` of this kind, whose text contains this.
        case refused(retryable: Bool, saying: String = "")
    }

    let name: String
    let peer: Peer
    let outcome: Outcome
    /// Requests sent one after another.
    var requests = 1
    /// The transport's timeout, seconds.
    var timeout = 30
    /// The transport's body limit, bytes.
    var limit = TransportResponse.defaultBodyLimit
    /// The most seconds a request may take.
    var within: TimeInterval = 20
    /// Connections the scripted peer must have accepted (keep-alive), when given.
    var connections: Int?
    /// Requests the scripted peer must have read (no redirect followed), when given.
    var requestsRead: Int?

    var testDescription: String { name }
}

extension TransportCase {
    /// `{"greeting": "hello from a gzip body"}`, gzipped.
    static let gzippedGreeting = Data(base64Encoded: "H4sIAAAAAAACA6tWSi9KTS3JzEtXslJQykjNyclXSCvKz1VIVEivyixQSMpPqVSqBQCeTiKhJgAAAA==")!
    /// 256 KiB of `a`, gzipped to 290 bytes.
    static let gzippedQuarterMiB = Data(base64Encoded: """
        H4sIAAAAAAACA+3BMQEAAADCoKzrX8LbDkABAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\
        AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\
        AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\
        AAAAAAAAAAAAALwBxI2NugAABAA=
        """)!

    static let table: [TransportCase] = [
        TransportCase(
            name: "a 2xx answer of the real server comes back with its body",
            peer: .login(password: "admin-password-1"), outcome: .answer(status: 200, containing: "accessToken")),
        TransportCase(
            name: "a 401 comes back with the contract's error body, not as an error",
            peer: .login(password: "wrong-password-1"), outcome: .answer(status: 401, containing: "INVALID_CREDENTIALS")),
        TransportCase(
            name: "a 404 comes back with the contract's error body, not as an error",
            peer: .server(method: "GET", path: "/v1/no-such-thing"), outcome: .answer(status: 404, containing: "NOT_FOUND")),
        TransportCase(
            name: "an answer over the body limit is refused, not retryable",
            peer: .login(password: "admin-password-1"), outcome: .refused(retryable: false, saying: "larger than 256 bytes"),
            limit: 256),
        TransportCase(
            name: "a server that accepts and never answers: a retryable timeout, in time",
            peer: .scripted(.silent), outcome: .refused(retryable: true), timeout: 1, within: 8),
        TransportCase(
            name: "a server that trickles its answer past the timeout: a retryable timeout, in time",
            peer: .scripted(.trickle(head: Data("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n".utf8), interval: 0.2)),
            outcome: .refused(retryable: true), timeout: 2, within: 8),
        TransportCase(
            name: "a connection cut mid-answer: retryable",
            peer: .scripted(.cut(Data("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"items\": [".utf8))),
            outcome: .refused(retryable: true)),
        TransportCase(
            name: "a gzip body is accepted and given back decoded",
            peer: .scripted(.answer(ScriptedPeer.answer(
                status: 200, headers: [("Content-Type", "application/json"), ("Content-Encoding", "gzip")], body: gzippedGreeting))),
            outcome: .answer(status: 200, containing: #""greeting": "hello from a gzip body""#)),
        TransportCase(
            name: "a gzip body over the limit once decoded is refused, not retryable",
            peer: .scripted(.answer(ScriptedPeer.answer(status: 200, headers: [("Content-Encoding", "gzip")], body: gzippedQuarterMiB))),
            outcome: .refused(retryable: false, saying: "larger than 65536 bytes"), limit: 65_536),
        TransportCase(
            name: "keep-alive: three requests in a row use one connection",
            peer: .scripted(.answer(ScriptedPeer.answer(status: 200, body: Data("kept".utf8)))),
            outcome: .answer(status: 200, containing: "kept"), requests: 3, connections: 1, requestsRead: 3),
        TransportCase(
            name: "a redirect is the answer: not followed",
            peer: .scripted(.answer(ScriptedPeer.answer(status: 302, headers: [("Location", "/elsewhere")], body: Data("moved".utf8)))),
            outcome: .answer(status: 302, containing: "moved"), requestsRead: 1),
        TransportCase(
            name: "a 503 of any server comes back with its body",
            peer: .scripted(.answer(ScriptedPeer.answer(status: 503, body: Data(#"{"code": "UNAVAILABLE"}"#.utf8)))),
            outcome: .answer(status: 503, containing: "UNAVAILABLE")),
    ] + ["file:///etc/hostname", "ftp://127.0.0.1/x", "gopher://127.0.0.1/x", "dict://127.0.0.1/x"].map { url in
        TransportCase(
            name: "only http and https: \(url) is refused, not retryable", peer: .url(url),
            outcome: .refused(retryable: false, saying: "only http and https"))
    } + [("http:///v1/sync/pull", "names no host"), ("not a url", "not a valid URL")].map { url, saying in
        TransportCase(name: "\(url) is refused before anything is sent, not retryable", peer: .url(url), outcome: .refused(retryable: false, saying: saying))
    }
}

@Suite("CONTRACT §9.1 client transports: libcurl and URLSession keep one contract, against the real server and faulty peers")
struct TransportContractTests {
    // On SQLite only: the server is one more peer of the transports under test here, and the
    // store behind it plays no part in the rows.
    @Test("every transport keeps every row of the transport contract",
          arguments: TransportKind.allCases, TransportCase.table)
    func contract(kind: TransportKind, row: TransportCase) async throws {
        let backend = TestBackend.sqlite
        let transport = kind.make(timeout: row.timeout, limit: row.limit)
        switch row.peer {
        case .login(let password):
            try await LiveServer.run(backend) { server in
                let body = #"{"email": "\#(TestAccounts.adminEmail)", "password": "\#(password)"}"#
                try await Self.send(row, with: transport, TransportRequest(
                    method: "POST", url: server.url + "/v1/auth/login", headers: [("Content-Type", "application/json")],
                    body: Data(body.utf8)))
            }
        case .server(let method, let path):
            try await LiveServer.run(backend) { server in
                try await Self.send(row, with: transport, TransportRequest(method: method, url: server.url + path))
            }
        case .scripted(let script):
            try await ScriptedPeer.with(script) { peer in
                try await Self.send(row, with: transport, TransportRequest(method: "GET", url: peer.url + "/v1/sync/pull"))
                if let connections = row.connections { #expect(peer.connections == connections, "connections accepted") }
                if let requests = row.requestsRead { #expect(peer.requestsRead == requests, "requests read") }
            }
        case .url(let url):
            try await Self.send(row, with: transport, TransportRequest(method: "GET", url: url))
        }
    }

    @Test("the sync engine signs in, pulls, pushes a booking and sees it accepted, over each transport",
          arguments: TestBackend.all, TransportKind.allCases)
    func engine(backend: TestBackend, kind: TransportKind) async throws {
        try await LiveServer.run(backend) { server in
            let doctor = try await server.clinic.addDoctor("Grey", admin: try await server.clinic.admin())
            let start = TestTime.tomorrow.addingTimeInterval(9 * 3_600)
            try await server.clinic.addWindow(doctor, start: start, slots: 4)
            let patient = try await server.clinic.addPatient("Ada")
            let replica = try Replica(path: server.replicaPath("ada"), key: .random())
            let engine = SyncEngine(replica: replica, transport: kind.make())
            _ = try await engine.login(server: server.url, email: patient.email, password: patient.password)
            let pulled = try await engine.sync()
            #expect(pulled.pulled > 0, "the doctor and the window came down")
            let booked = try replica.record(
                .book(BookIntent(appointmentId: UUID().uuidString.lowercased(), doctorId: doctor.id, start: start, reason: "check-up")),
                now: Date())
            let pushed = try await engine.sync()
            #expect(pushed.applied == 1 && pushed.rejected == 0 && pushed.pending == 0, "\(pushed)")
            #expect(try await server.clinic.appointments(as: patient).map(\.id) == [booked.id])
        }
    }

    /// Sends `request` `row.requests` times and checks each outcome and its time.
    static func send(_ row: TransportCase, with transport: any HTTPTransport, _ request: TransportRequest) async throws {
        for _ in 0..<row.requests {
            let started = Date()
            let result: Result<TransportResponse, TransportError>
            do {
                result = .success(try await transport.send(request))
            } catch let error as TransportError {
                result = .failure(error)
            }
            #expect(Date().timeIntervalSince(started) < row.within, "took \(Date().timeIntervalSince(started)) s")
            switch (row.outcome, result) {
            case (.answer(let status, let text), .success(let answer)):
                let body = String(decoding: answer.body, as: UTF8.self)
                #expect(answer.status == status && body.contains(text), "\(answer.status) \(body.prefix(200))")
            case (.refused(let retryable, let text), .failure(let error)):
                #expect(error.isRetryable == retryable && (text.isEmpty || error.description.contains(text)), "\(error)")
            case (_, .success(let answer)):
                Issue.record("expected a refusal, got \(answer.status) with \(answer.body.count) bytes")
            case (_, .failure(let error)):
                Issue.record("expected an answer, got \(error)")
            }
        }
    }
}
