import Foundation

/// Signs in, and syncs: push every pending intent, then pull to the end. Nothing here keeps
/// state outside the replica, so a sync cut at any point resumes on the next run.
public struct SyncEngine: Sendable {
    let replica: Replica
    let api: APIClient
    let progress: @Sendable (SyncProgress) -> Void

    public init(
        replica: Replica, transport: any HTTPTransport, retry: RetryPolicy = RetryPolicy(),
        progress: @escaping @Sendable (SyncProgress) -> Void = { _ in }
    ) {
        self.replica = replica
        self.api = APIClient(transport: transport, replica: replica, retry: retry)
        self.progress = progress
    }

    struct Credentials: Encodable { let email: String; let password: String }

    /// Signs in at `server`; refused when the replica holds pending intents of another user
    /// or server. A new user or server starts the replica over.
    public func login(server: String, email: String, password: String) async throws -> User {
        let server = server.hasSuffix("/") ? String(server.dropLast()) : server
        try replica.checkCanSignIn(server: server, email: email)
        let pair = try await api.call(
            "POST", server: server, path: "/v1/auth/login", body: Credentials(email: email, password: password),
            authorized: false, as: TokenPair.self)
        let clinic = try await api.call("GET", server: server, path: "/v1/clinic", authorized: false, as: Clinic.self)
        try replica.signIn(server: server, pair: pair, clinicTimeZone: clinic.timeZone, clinicName: clinic.name)
        return pair.user
    }

    /// Ends the session at the server when it can be reached, and forgets the tokens.
    public func logout() async throws -> User? {
        let user = try replica.lastUser()
        if let session = try replica.session() {
            _ = try? await api.call(
                "POST", server: session.server, path: "/v1/auth/logout", body: ["refreshToken": session.refreshToken],
                authorized: false, as: EmptyAnswer.self)
        }
        try replica.signOut()
        return user
    }

    /// Push, then pull to the end. When an answer shows that the server has lost work it had
    /// applied (restored from a backup, CONTRACT.md §9.9), the pull starts over, the journaled
    /// intents the server's rows no longer show are recorded again, and they are pushed and
    /// the rest pulled in the same sync.
    public func sync() async throws -> SyncReport {
        guard let session = try replica.session() else { throw ReplicaError.loginNeeded("sign in first") }
        var report = SyncReport()
        let lostOnPush = try await push(server: session.server, report: &report)
        let lostOnPull = try await pull(server: session.server, report: &report, startOver: lostOnPush)
        if lostOnPush || lostOnPull {
            report.recovered = try replica.recoverLostIntents(now: Date())
            if report.recovered > 0 {
                _ = try await push(server: session.server, report: &report)
                _ = try await pull(server: session.server, report: &report, startOver: false)
            }
        }
        report.pending = try replica.status().pending
        progress(SyncProgress(phase: .done, pages: 0, rows: report.pulled, pending: report.pending))
        return report
    }

    /// Pushes every pending intent. Answers whether the server showed that it lost applied work:
    /// a gap below the highest mutation id this client saw applied.
    private func push(server: String, report: inout SyncReport) async throws -> Bool {
        var restarts = 0
        var lostWork = false
        while true {
            let (clientId, mutations) = try replica.pushBatch(limit: SyncProtocol.maxMutationsPerPush)
            guard !mutations.isEmpty else { return lostWork }
            progress(SyncProgress(phase: .pushing, pages: 0, rows: 0, pending: mutations.count))
            let request = PushRequest(clientId: clientId, schemaVersion: SyncProtocol.schemaVersion, mutations: mutations)
            do {
                let response = try await api.call("POST", server: server, path: "/v1/sync/push", body: request, as: PushResponse.self)
                let taken = try replica.take(response, clientId: clientId, now: Date())
                report.pushed += mutations.count
                report.applied += taken.applied
                report.rejected += taken.rejected
                // A push that handled nothing would loop forever; the server owes an answer per id.
                if taken.applied + taken.rejected == 0 { return lostWork }
            } catch ReplicaError.refused(let error) where error.code == .mutationGap || error.code == .mutationMismatch {
                if case .int(let expected)? = error.details["expected"], try expected - 1 < replica.highestJournaledMutationId() {
                    lostWork = true
                }
                restarts += 1
                guard restarts <= 3 else { throw ReplicaError.refused(error) }
                try replica.startNewClient()
            }
        }
    }

    /// Pulls to the end; `startOver` replaces the server rows from the first page on. When the
    /// last page's checksum shows that the replica has drifted, it is repaired in the same pull
    /// (`Replica+Checksum`). Answers
    /// whether the server showed that it lost applied work: a `lastMutationId` below the highest
    /// this client saw applied, or a reset of a cursor it had handed out.
    private func pull(server: String, report: inout SyncReport, startOver: Bool) async throws -> Bool {
        if startOver { try replica.requestReset() }
        var lostWork = false
        var pages = 0
        var repairs = 0
        // The next page, asked for while this one is stored: its cursor is in this page, so the
        // server's work and the replica's overlap. Used only when the replica then asks for
        // that very cursor (a reset or a repair asks for another), else dropped.
        var ahead: Prefetch?
        do {
            while true {
                let path = try pullPath(cursor: try replica.pullCursor())
                let body: Data
                if let next = ahead, next.path == path {
                    body = try await withTaskCancellationHandler {
                        try await next.body.value
                    } onCancel: {
                        next.body.cancel()
                    }
                } else {
                    await Self.drop(ahead)
                    body = try await api.fetch(server: server, path: path)
                }
                ahead = nil
                let sentCursor = path.contains("&cursor=")
                let highestApplied = try replica.highestJournaledMutationId()
                let stored: Replica.StoredPage
                do {
                    let page = try PulledPage(json: body)
                    if page.hasMore {
                        let next = try pullPath(cursor: page.cursor)
                        let api = self.api
                        ahead = Prefetch(path: next, body: Task { try await api.fetch(server: server, path: next) })
                    }
                    stored = try replica.store(page, now: Date())
                } catch let error as DomainError {
                    throw ReplicaError.refused(error)
                }
                pages += 1
                report.pulled += stored.changes
                progress(SyncProgress(phase: .pulling, pages: pages, rows: report.pulled, pending: 0))
                if stored.reset && sentCursor { lostWork = true }
                if stored.lastMutationId < highestApplied && !lostWork {
                    // the server went back without resetting the cursor: start over from nothing
                    lostWork = true
                    try replica.requestReset()
                    continue
                }
                if !stored.repaired.isEmpty && stored.differing.isEmpty { report.repaired = stored.repaired }
                if !stored.hasMore {
                    guard !stored.differing.isEmpty else { return lostWork }
                    // the replica has drifted: re-read what differs; if a narrow repair does not
                    // mend it, re-read everything; after that, say so rather than loop
                    repairs += 1
                    guard repairs <= 2 else {
                        report.unrepaired = stored.differing
                        return lostWork
                    }
                    try replica.beginRepair(of: repairs == 1 ? stored.differing : ScopeChecksum.entities)
                }
            }
        } catch {
            await Self.drop(ahead)
            throw error
        }
    }

    /// A page asked for ahead of need.
    private struct Prefetch {
        let path: String
        let body: Task<Data, any Error>
    }

    /// Stops a page asked for ahead that is not wanted after all, and waits until it has stopped,
    /// so no two requests, and no two token refreshes, are ever under way at once.
    private static func drop(_ prefetch: Prefetch?) async {
        guard let prefetch else { return }
        prefetch.body.cancel()
        _ = await prefetch.body.result
    }

    /// The pull request for the page after `cursor` (nil: the first), as large as the contract
    /// allows: each page is one round trip, one parse and one replica transaction with its
    /// fsync, whatever its size.
    private func pullPath(cursor: String?) throws -> String {
        let clientId = try replica.status().clientId ?? ""
        var path = "/v1/sync/pull?clientId=\(clientId)&schemaVersion=\(SyncProtocol.schemaVersion)&limit=\(SyncProtocol.maxPullLimit)"
        if let cursor { path += "&cursor=\(cursor)" }
        return path
    }
}
